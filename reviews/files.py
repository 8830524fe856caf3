"""Files reviewers upload (the sealed 推荐文件, 实地核实 photos), checked like applicants' evidence."""

from types import SimpleNamespace

from applications.attachments import FILE_TYPES, AttachmentRejected, check_file, clean_name, sha256_of
from applications.workflow import WorkflowRefused

SEALED_TYPES = ("pdf", "jpg", "png")
PHOTO_TYPES = ("jpg", "png")


def prepare(model, uploaded_file, label, types, user, **fields):
    """An unsaved `model` row holding the file, if its content is one of `types` and it fits the size cap."""
    if uploaded_file is None:
        raise WorkflowRefused(f"请上传{label}。")
    try:
        file_type = check_file(SimpleNamespace(label=label, types=types), uploaded_file)
    except AttachmentRejected as exc:
        raise WorkflowRefused(exc.message) from exc
    row = model(
        original_name=clean_name(uploaded_file.name),
        file_type=file_type,
        size=uploaded_file.size,
        sha256=sha256_of(uploaded_file),
        uploaded_by=user,
        **fields,
    )
    row.file.save(f"upload{FILE_TYPES[file_type].extension}", uploaded_file, save=False)
    return row


def content_type(row):
    return FILE_TYPES[row.file_type].content_type

"""Pages of rows read from the database one slice at a time, through django.core.paginator.Paginator."""

from django.core.paginator import Paginator


class Slices:
    """What a Paginator pages: `count` rows, of which only the slice it asks for is read, by `read(offset, limit)`."""

    def __init__(self, count, read):
        self.count, self.read = count, read

    def __len__(self):
        return self.count

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step:
            raise TypeError("只能按页读取。")
        start = index.start or 0
        stop = self.count if index.stop is None else index.stop
        return self.read(start, max(0, stop - start))


def page_of(count, read, page_number, per_page):
    """Page `page_number` (any text: out of range or not a number gives the last or first) of `count` rows."""
    return Paginator(Slices(count, read), per_page).get_page(page_number)

"""Making broken and hostile .xlsx files the way other programs make them, by
rewriting the XML inside a workbook openpyxl saved; and a cap on memory, so
that a test meeting a memory-hungry bug fails instead of taking the machine."""
import contextlib
import re
import resource
import shutil
import tempfile
import zipfile
from pathlib import Path


def _sheet_part(archive, tab):
    """The zip member holding a tab's XML, found as a spreadsheet program finds it."""
    workbook = archive.read("xl/workbook.xml").decode()
    rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    for match in re.finditer(r"<(?:\w+:)?sheet\b[^>]*>", workbook):
        tag = match.group(0)
        name = re.search(r'\bname="([^"]*)"', tag).group(1)
        if name == tab:
            rid = re.search(r'\br:id="([^"]*)"|\bid="([^"]*)"', tag)
            rid = rid.group(1) or rid.group(2)
            for rel in re.finditer(r"<Relationship\b[^>]*>", rels):
                if f'Id="{rid}"' in rel.group(0):
                    target = re.search(r'Target="([^"]*)"', rel.group(0)).group(1)
                    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    raise KeyError(tab)


def rewrite_sheet(path, tab, change):
    """Replace one tab's XML with change(xml text); every other part is copied as it is."""
    path = Path(path)
    with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".xlsx", delete=False) as handle:
        temp = Path(handle.name)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as target:
        part = _sheet_part(source, tab)
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == part:
                data = change(data.decode()).encode()
            target.writestr(info, data)
    shutil.move(temp, path)


def set_dimension(path, tab, ref):
    """Make the tab claim ``ref`` as its size (``<dimension ref="A1:K3"/>``), whatever it holds."""
    def change(xml):
        if "<dimension" in xml:
            return re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>', xml)
        return xml.replace("<sheetViews>", f'<dimension ref="{ref}"/><sheetViews>', 1)
    rewrite_sheet(path, tab, change)


def store_results(path, tab, results):
    """Store results for formula cells ({'F2': 'text'}), as Excel does when it saves."""
    def change(xml):
        for coordinate, value in results.items():
            pattern = re.compile(rf'<c r="{coordinate}"([^>]*)>(<f>.*?</f>)(?:<v>.*?</v>|<v\s*/>)?</c>')
            assert pattern.search(xml), f"no formula in {coordinate}"
            attrs = re.sub(r'\s*t="[^"]*"', "", pattern.search(xml).group(1))
            kind = "" if isinstance(value, (int, float)) else ' t="str"'
            xml = pattern.sub(lambda m: f'<c r="{coordinate}"{attrs}{kind}>{m.group(2)}<v>{value}</v></c>', xml)
        return xml
    rewrite_sheet(path, tab, change)


def _address_space():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


@contextlib.contextmanager
def memory_cap(extra_bytes=1024 ** 3):
    """At most ``extra_bytes`` more address space while inside: a runaway allocation
    raises MemoryError here (and the test fails) instead of exhausting the machine."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = _address_space() + extra_bytes
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))

"""TorchScript archive helpers shared by the Python export and fixture scripts."""

import io

import torch


def strip_debug_records(archive: bytes) -> bytes:
    """Rewrite a TorchScript archive without its optional *.debug_pkl records.

    Those records hold source ranges with the absolute paths of the exporting script and of the
    local torch installation; they are only used for error messages, so files without them are
    machine-independent (committed fixtures stay byte-stable, shared exports leak no local paths).
    The archive is rewritten with torch's own zip writer so the record layout stays what libtorch
    expects."""
    reader = torch._C.PyTorchFileReader(io.BytesIO(archive))
    out = io.BytesIO()
    writer = torch._C.PyTorchFileWriter(out)
    for name in reader.get_all_records():
        if name.endswith(".debug_pkl"):
            continue
        data = bytes(reader.get_record(name))
        writer.write_record(name, data, len(data))
    writer.write_end_of_file()
    return out.getvalue()

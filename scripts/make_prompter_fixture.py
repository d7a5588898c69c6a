#!/usr/bin/python3
"""Builds the tiny TorchScript prompter fixtures used by the prompters module's tests.

They follow the contract of io.roadneg.prompters.TorchScriptSegmenter (see scripts/export_sam_torchscript.py) but
learn nothing: the decoder's logits are the signed distance to the box edge, so a correct pre/post-processing path
returns the box itself. A second decoder breaks the contract on purpose (wrong mask shape).

Usage: /usr/bin/python3 scripts/make_prompter_fixture.py OUT_DIR   (needs torch; Debian's python3-torch works)
"""
import json
import os
import sys
import zipfile

import torch

SIZE = 64   # square input side S
GRID = 32   # logit grid side (SAM uses S/4)


class Encoder(torch.nn.Module):
    def forward(self, image):
        # [1, 3, S, S] -> [1, 3, S/8, S/8]
        return torch.nn.functional.avg_pool2d(image, 8)


class BoxDecoder(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.grid = GRID
        self.step = SIZE / GRID

    def forward(self, embedding, boxes, points, labels):
        n = boxes.shape[0]
        g = self.grid
        centres = (torch.arange(g, dtype=torch.float32) + 0.5) * self.step - 0.5
        x = centres.view(1, 1, g).expand(n, g, g)
        y = centres.view(1, g, 1).expand(n, g, g)
        x0 = boxes[:, 0].view(n, 1, 1)
        y0 = boxes[:, 1].view(n, 1, 1)
        x1 = boxes[:, 2].view(n, 1, 1)
        y1 = boxes[:, 3].view(n, 1, 1)
        inside = torch.minimum(torch.minimum(x + 0.5 - x0, x1 - x - 0.5), torch.minimum(y + 0.5 - y0, y1 - y - 0.5))
        # the embedding and the points take part so the graph has the contract's inputs, without changing the answer
        logits = inside + 0.0 * embedding.mean() + 0.0 * points.sum() + 0.0 * labels.sum()
        scores = torch.full((n,), 0.75) + 0.0 * embedding.mean()
        return logits.unsqueeze(1), scores


class BrokenDecoder(torch.nn.Module):
    def forward(self, embedding, boxes, points, labels):
        n = boxes.shape[0]
        return torch.zeros(n + 1, 2, 8, 8), torch.zeros(n)


def save(module, path):
    """Saves a scripted module without its debug tables: they hold this machine's source paths."""
    torch.jit.script(module).save(path)
    with zipfile.ZipFile(path) as z:
        entries = [(i, z.read(i.filename)) for i in z.infolist() if not i.filename.endswith(".debug_pkl")]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        for info, data in entries:
            z.writestr(info, data)


def main(out):
    for name, decoder in (("box", BoxDecoder()), ("broken", BrokenDecoder())):
        d = os.path.join(out, name)
        os.makedirs(d, exist_ok=True)
        save(Encoder(), os.path.join(d, "encoder.pt"))
        save(decoder, os.path.join(d, "decoder.pt"))
        with open(os.path.join(d, "prompter.json"), "w") as f:
            json.dump({"image_size": SIZE, "pixel_mean": [123.675, 116.28, 103.53],
                       "pixel_std": [58.395, 57.12, 57.375]}, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])

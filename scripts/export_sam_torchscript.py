#!/usr/bin/env python3
"""Exports SAM or MobileSAM to the TorchScript prompter contract of `gen masks --prompter torchscript:DIR`.

Needs PyTorch, the model's package and its weights, which the workbench does not ship:
  pip install git+https://github.com/facebookresearch/segment-anything      (SAM: vit_b, vit_l, vit_h)
  pip install git+https://github.com/ChaoningZhang/MobileSAM               (MobileSAM: vit_t)

Usage:
  python3 scripts/export_sam_torchscript.py --model-type vit_b --checkpoint sam_vit_b_01ec64.pth --out sam_vit_b
  python3 scripts/export_sam_torchscript.py --model-type vit_t --checkpoint mobile_sam.pt --out mobile_sam

The folder then holds (the contract, as io.roadneg.prompters.TorchScriptSegmenter documents it):
  prompter.json  {"image_size": S, "pixel_mean": [r, g, b], "pixel_std": [r, g, b]}   (0..255 RGB units)
  encoder.pt     float32[1, 3, S, S] (resized so the longest side is S, normalised, zero-padded bottom/right)
                 -> image embedding
  decoder.pt     (embedding, boxes float32[N, 4] x0 y0 x1 y1, points float32[N, P, 2], labels float32[N, P])
                 in resized-image pixels, labels 1 positive / 0 negative / -1 padding (P >= 1)
                 -> (mask_logits float32[N, 1, h, w] over the padded S x S input, scores float32[N])
The Java side does the resizing, normalisation, padding and the way back to the original size.

The decoder is traced; --check re-runs the traced pair with other prompt counts against the eager model, since a trace
can freeze a shape it saw.
"""
import argparse
import json
import os

import torch


def load_sam(model_type, checkpoint):
    if model_type == "vit_t":
        from mobile_sam import sam_model_registry
    else:
        from segment_anything import sam_model_registry
    sam = sam_model_registry[model_type](checkpoint=checkpoint)
    sam.eval()
    return sam


class Encoder(torch.nn.Module):
    def __init__(self, sam):
        super().__init__()
        self.image_encoder = sam.image_encoder

    def forward(self, image):
        return self.image_encoder(image)


class Decoder(torch.nn.Module):
    """SAM's prompt encoder and mask decoder, one mask per prompt (multimask_output=False, as for box prompts)."""

    def __init__(self, sam):
        super().__init__()
        self.prompt_encoder = sam.prompt_encoder
        self.mask_decoder = sam.mask_decoder

    def forward(self, embedding, boxes, points, labels):
        sparse, dense = self.prompt_encoder(points=(points, labels.to(torch.int64)), boxes=boxes, masks=None)
        masks, iou = self.mask_decoder(image_embeddings=embedding, image_pe=self.prompt_encoder.get_dense_pe(),
                                       sparse_prompt_embeddings=sparse, dense_prompt_embeddings=dense,
                                       multimask_output=False)
        return masks, iou.reshape(-1)


def prompts(n, p, size):
    boxes = torch.tensor([[10.0 + 7 * i, 20.0 + 5 * i, 300.0 + 3 * i, 400.0 + 2 * i] for i in range(n)]) * size / 1024
    points = torch.rand(n, p, 2) * size * 0.5
    labels = torch.ones(n, p)
    labels[:, -1] = -1
    return boxes, points, labels


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model-type", required=True, help="vit_b, vit_l, vit_h (SAM) or vit_t (MobileSAM)")
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--check", action="store_true", help="compare the traced decoder with the eager one")
    args = ap.parse_args()

    sam = load_sam(args.model_type, args.checkpoint)
    size = sam.image_encoder.img_size
    os.makedirs(args.out, exist_ok=True)
    with torch.no_grad():
        image = torch.zeros(1, 3, size, size)
        encoder = torch.jit.trace(Encoder(sam), image)
        embedding = encoder(image)
        decoder = Decoder(sam)
        traced = torch.jit.trace(decoder, (embedding, *prompts(2, 1, size)))
        encoder.save(os.path.join(args.out, "encoder.pt"))
        traced.save(os.path.join(args.out, "decoder.pt"))
        if args.check:
            for n, p in ((1, 1), (3, 2)):
                inputs = (embedding, *prompts(n, p, size))
                want, got = decoder(*inputs), traced(*inputs)
                if want[0].shape != got[0].shape or not torch.allclose(want[0], got[0], atol=1e-3):
                    raise SystemExit(f"traced decoder differs from the eager one for {n} prompts x {p} points")
            print("check: traced decoder matches the eager one for 1x1 and 3x2 prompts")
    mean = [float(v) for v in sam.pixel_mean.flatten()]
    std = [float(v) for v in sam.pixel_std.flatten()]
    with open(os.path.join(args.out, "prompter.json"), "w") as f:
        json.dump({"image_size": size, "pixel_mean": mean, "pixel_std": std}, f, indent=1)
        f.write("\n")
    print(f"wrote {args.out}/encoder.pt, decoder.pt, prompter.json (S = {size})")


if __name__ == "__main__":
    main()

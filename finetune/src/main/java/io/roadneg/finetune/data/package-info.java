/** Training batches: Cityscapes-layout frames, joint image/label augmentation, negatives pasted on the fly or read. */
package io.roadneg.finetune.data;

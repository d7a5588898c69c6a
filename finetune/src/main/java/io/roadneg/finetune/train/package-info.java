/** The training loop: optimiser, checkpoints, resume, per-term loss logs and validation. */
package io.roadneg.finetune.train;

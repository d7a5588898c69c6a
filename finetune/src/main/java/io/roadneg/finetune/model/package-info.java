/** Segmenters: the built-in ladder network, TorchScript bases, extra heads and the RPL residual, checkpoints. */
package io.roadneg.finetune.model;

/**
 * Learned box prompters (SAM, MobileSAM) exported as TorchScript and run by DJL's PyTorch engine; kept out of the
 * generators module so that it stays free of native engines.
 */
package io.roadneg.prompters;

/** Fine-tuning segmenters on inliers plus negatives with hybrid anomaly losses, and scoring them (DJL, PyTorch). */
package io.roadneg.finetune;

/**
 * Outlier sources behind one interface (COCO objects, ADE20K patches, random patches) and the paste job that turns
 * them into a Cityscapes-layout outlier set.
 */
package io.roadneg.generators;

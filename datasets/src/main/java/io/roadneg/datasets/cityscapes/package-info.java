/** Cityscapes: the label table (ids, trainIds, colours), the on-disk layout, and readers of the real tree. */
package io.roadneg.datasets.cityscapes;

/** COCO formats: instances JSON, segmentations (polygons, uncompressed and compressed RLE), panoptic PNGs. */
package io.roadneg.datasets.coco;

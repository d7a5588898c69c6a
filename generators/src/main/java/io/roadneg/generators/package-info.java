/**
 * Outlier sources behind one interface, found through {@link io.roadneg.generators.OutlierSourceProvider} (the
 * bundled ones are in {@code sources}), and the paste job that turns them into a Cityscapes-layout outlier set.
 */
package io.roadneg.generators;

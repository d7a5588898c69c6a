/** YAML configs bound to validated Jackson records, with {@code --set key=value} overrides. */
package io.roadneg.datasets.config;

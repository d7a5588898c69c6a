/** The {@code flow} outlier source: samples of a trained flow pasted as synthetic negatives. */
package io.roadneg.flows.source;

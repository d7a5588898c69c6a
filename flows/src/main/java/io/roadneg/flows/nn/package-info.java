/**
 * The networks inside the flow's couplings (not invertible themselves): dense blocks with gated outputs, Nystrom
 * attention, the cross-unit noise network, convolutions and BatchNorm over named parameters.
 */
package io.roadneg.flows.nn;

/**
 * Flows made elsewhere: {@link io.roadneg.flows.imported.TorchScriptFlow} samples from a published DenseFlow exported
 * to TorchScript under the contract {@code roadneg-flow/1} ({@code flows/scripts/export_denseflow_torchscript.py}).
 */
package io.roadneg.flows.imported;

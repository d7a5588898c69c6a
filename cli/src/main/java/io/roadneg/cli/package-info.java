/** The {@code gen} command: thin picocli commands that parse options and call one library entry point each. */
package io.roadneg.cli;

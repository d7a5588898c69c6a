/** Report files of {@code gen eval}: metrics.json, a Markdown table, PR / ROC curves (PNG, SVG) and an HTML page. */
package io.roadneg.evaluation.report;

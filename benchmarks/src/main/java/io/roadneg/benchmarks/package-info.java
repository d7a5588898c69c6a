/** Throughput and memory benchmarks, run by hand (see the README); their figures go into release notes. */
package io.roadneg.benchmarks;

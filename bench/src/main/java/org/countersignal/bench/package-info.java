/** JMH benchmarks of hashing and indexing. */
package org.countersignal.bench;

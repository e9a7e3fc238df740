/** In-memory similarity and exact indexes for signals. */
package org.countersignal.index;

/**
 * refit's cluster: a Vert.x event bus clustered over Hazelcast (TCP/IP join from a member list,
 * a fixed port, no multicast) and the version handshake every member passes. What runs on it
 * is in {@code prepare}: {@code ClusterDispatch} on the coordinator, {@code ClusterWorker} on
 * the workers.
 */
package dev.refit.pipeline.cluster;

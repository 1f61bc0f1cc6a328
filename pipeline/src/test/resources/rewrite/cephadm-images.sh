#!/bin/sh
# Point cephadm at the local registry (air-gapped install).
set -e
ceph config set global container_image quay.io/ceph/ceph:v17.2.6
ceph config set mgr mgr/cephadm/container_image_prometheus quay.io/prometheus/prometheus:v2.43.0
sudo cephadm shell -- ceph config set mgr mgr/cephadm/container_image_grafana 'quay.io/ceph/ceph-grafana:9.4.7'
ceph config set mgr mgr/cephadm/container_image_alertmanager \
    "quay.io/prometheus/alertmanager:v0.25.0"   # trailing comment
ceph config set mgr mgr/cephadm/container_image_node_exporter quay.io/prometheus/node-exporter:v1.5.0; echo done
# ceph config set mgr mgr/cephadm/container_image_haproxy quay.io/ceph/haproxy:2.3
ceph orch ls

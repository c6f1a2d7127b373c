"""The Helm chart (helm/velferd) rendered and checked without a cluster."""

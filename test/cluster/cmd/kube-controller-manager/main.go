// kube-controller-manager exactly as upstream builds it: its own command constructor. The test bed needs its
// controllers for what a cluster does on its own: each namespace's default ServiceAccount, namespace deletion,
// garbage collection.
package main

import (
	"os"

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	"k8s.io/kubernetes/cmd/kube-controller-manager/app"
)

func main() {
	os.Exit(cli.Run(app.NewControllerManagerCommand()))
}

// A single-member etcd for the test API server, from go.etcd.io/etcd/server/v3/embed (the version
// k8s.io/kubernetes itself pins), listening on loopback only.
package main

import (
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
)

func main() {
	dataDir := flag.String("data-dir", "", "directory for etcd's data (required)")
	clientPort := flag.Int("client-port", 0, "loopback port for clients (required)")
	peerPort := flag.Int("peer-port", 0, "loopback port for the (unused) peer listener (required)")
	quotaBytes := flag.Int64("quota-backend-bytes", 2<<30, "backend size limit")
	flag.Parse()
	if *dataDir == "" || *clientPort == 0 || *peerPort == 0 {
		fmt.Fprintln(os.Stderr, "etcd: --data-dir, --client-port and --peer-port are required")
		os.Exit(2)
	}

	cfg := embed.NewConfig()
	cfg.Name = "test-bed"
	cfg.Dir = *dataDir
	cfg.LogLevel = "warn"
	cfg.QuotaBackendBytes = *quotaBytes
	clientURL := mustURL(fmt.Sprintf("http://127.0.0.1:%d", *clientPort))
	peerURL := mustURL(fmt.Sprintf("http://127.0.0.1:%d", *peerPort))
	cfg.ListenClientUrls = []url.URL{clientURL}
	cfg.AdvertiseClientUrls = []url.URL{clientURL}
	cfg.ListenPeerUrls = []url.URL{peerURL}
	cfg.AdvertisePeerUrls = []url.URL{peerURL}
	cfg.InitialCluster = cfg.Name + "=" + peerURL.String()
	// No metrics listener and no second client port: nothing beyond the two loopback ports above.
	cfg.ListenMetricsUrls = nil

	server, err := embed.StartEtcd(cfg)
	if err != nil {
		fmt.Fprintf(os.Stderr, "etcd: %v\n", err)
		os.Exit(1)
	}
	select {
	case <-server.Server.ReadyNotify():
		fmt.Fprintln(os.Stderr, "etcd: ready")
	case <-time.After(60 * time.Second):
		server.Close()
		fmt.Fprintln(os.Stderr, "etcd: not ready after 60 s")
		os.Exit(1)
	}

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	select {
	case sig := <-signals:
		fmt.Fprintf(os.Stderr, "etcd: %v, stopping\n", sig)
	case err := <-server.Err():
		fmt.Fprintf(os.Stderr, "etcd: %v\n", err)
		server.Close()
		os.Exit(1)
	}
	server.Close()
}

func mustURL(raw string) url.URL {
	parsed, err := url.Parse(raw)
	if err != nil {
		panic(err)
	}
	return *parsed
}

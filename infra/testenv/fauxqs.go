package testenv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
)

// FauxqsProcess is a private fauxqs, started from TANGGAP_FAUXQS_COMMAND, that a test may stop and start
// again on the same port to simulate an SQS/SNS outage. It keeps its data in memory, so a restart loses
// every queue and message (see MessagingEnv.CreateAgain). It is stopped when the test ends.
// Call Start and Stop from the test's goroutine.
type FauxqsProcess struct {
	// Endpoint is http://127.0.0.1:<Port>; it stays the same across restarts.
	Endpoint string
	Port     int

	t       testing.TB
	command string

	mu     sync.Mutex
	cmd    *exec.Cmd
	exited chan struct{}
	output *lockedBuffer
}

// StartFauxqs starts a private fauxqs on a free port and waits until it answers SQS requests.
func StartFauxqs(t testing.TB) *FauxqsProcess {
	t.Helper()
	command := requireEnv(t, EnvFauxqsCommand)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("testenv: find a free port: %v", err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()

	p := &FauxqsProcess{
		Endpoint: "http://127.0.0.1:" + strconv.Itoa(port),
		Port:     port,
		t:        t,
		command:  command,
	}
	t.Cleanup(p.Stop)
	p.Start()
	return p
}

// Start starts fauxqs again on the same port (no-op while it is running) and waits until it answers.
func (p *FauxqsProcess) Start() {
	p.t.Helper()
	p.mu.Lock()
	if p.cmd != nil {
		p.mu.Unlock()
		return
	}
	cmd := exec.Command("/bin/sh", "-c", p.command)
	cmd.Env = append(os.Environ(), "FAUXQS_PORT="+strconv.Itoa(p.Port), "FAUXQS_DEFAULT_REGION="+Region)
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	// Own process group: Stop must reach node even if the shell does not exec it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		p.mu.Unlock()
		p.t.Fatalf("testenv: start fauxqs (%s): %v", p.command, err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	p.cmd, p.exited, p.output = cmd, exited, out
	p.mu.Unlock()

	if err := p.waitReady(exited, 30*time.Second); err != nil {
		p.Stop()
		p.t.Fatalf("testenv: fauxqs on port %d: %v\noutput:\n%s", p.Port, err, out.String())
	}
}

func (p *FauxqsProcess) waitReady(exited <-chan struct{}, timeout time.Duration) error {
	client := sqs.NewFromConfig(AWSConfig(), func(o *sqs.Options) {
		o.BaseEndpoint = aws.String(p.Endpoint)
		o.RetryMaxAttempts = 1
	})
	deadline := time.Now().Add(timeout)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_, err := client.ListQueues(ctx, &sqs.ListQueuesInput{})
		cancel()
		if err == nil {
			return nil
		}
		select {
		case <-exited:
			return errors.New("process exited during start-up")
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no answer within %s: %v", timeout, err)
		}
	}
}

// Stop stops fauxqs (SIGTERM, then SIGKILL after 5s) and waits until it has exited. No-op when stopped.
func (p *FauxqsProcess) Stop() {
	p.mu.Lock()
	cmd, exited := p.cmd, p.exited
	p.cmd = nil
	p.mu.Unlock()
	if cmd == nil {
		return
	}
	pgid := -cmd.Process.Pid
	_ = syscall.Kill(pgid, syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(pgid, syscall.SIGKILL)
		<-exited
	}
	// The shell may have exited before a child it did not exec; make sure the whole group is gone.
	_ = syscall.Kill(pgid, syscall.SIGKILL)
}

// Output returns what the current or last fauxqs process printed.
func (p *FauxqsProcess) Output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.output == nil {
		return ""
	}
	return p.output.String()
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(data []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(data)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

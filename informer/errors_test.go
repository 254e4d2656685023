package informer_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/skiff-dev/skiff/informer"
)

func TestStoppedWith(t *testing.T) {
	done, cancel := context.WithCancel(context.Background())
	cancel()
	live := context.Background()
	stopped := fmt.Errorf("adding handler: %w", informer.ErrStopped)
	for _, c := range []struct {
		name string
		ctx  context.Context
		err  error
		want bool
	}{
		{"stopped after ctx ended", done, stopped, true},
		{"stopped while ctx lives", live, stopped, false},
		{"another error after ctx ended", done, errors.New("boom"), false},
		{"no error", done, nil, false},
	} {
		if got := informer.StoppedWith(c.ctx, c.err); got != c.want {
			t.Errorf("%s: StoppedWith = %v, want %v", c.name, got, c.want)
		}
	}
}

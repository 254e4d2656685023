// Package watchtest checks an invariant on every change a controller makes, not only on the
// state it ends in.
//
// A scenario test that polls the store sees some states and misses others: a rolling update
// that briefly takes one pod too many down, or a StatefulSet that creates pod 2 while pod 1
// is not Ready, may leave no trace in the end state. Start follows a watch of one kind in a
// namespace instead, in store order, keeping the last state of each object, and hands every
// event to a check together with the state just before it:
//
//	w := watchtest.Start(t, pods, "default", func(before map[string]*core.Pod, ev client.Event[*core.Pod]) string {
//		if n := unavailable(watchtest.After(before, ev)); n > 1 {
//			return fmt.Sprintf("%d pods unavailable after %s %s", n, ev.Type, ev.Object.Name)
//		}
//		return ""
//	})
//
// What a check returns is a violation; the violations fail the test at its end, when the
// watch is stopped.
package watchtest

package printers

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
)

// eventTable is kubectl's `get events` table: LAST SEEN TYPE REASON OBJECT MESSAGE, and with
// -o wide SUBOBJECT SOURCE FIRST SEEN COUNT NAME as well.
var eventTable = Table{
	Columns: []Column{{Name: "LAST SEEN"}, {Name: "TYPE"}, {Name: "REASON"}, {Name: "OBJECT"},
		{Name: "SUBOBJECT", Wide: true}, {Name: "SOURCE", Wide: true}, {Name: "MESSAGE"},
		{Name: "FIRST SEEN", Wide: true}, {Name: "COUNT", Wide: true}, {Name: "NAME", Wide: true}},
	NameColumn: 9,
	Cells: func(obj meta.Object, now time.Time) []string {
		e := obj.(*core.Event)
		first := Since(e.FirstTimestamp, now)
		if e.FirstTimestamp.IsZero() {
			first = SinceMicro(e.EventTime, now)
		}
		last := Since(e.LastTimestamp, now)
		if e.LastTimestamp.IsZero() {
			last = first
		}
		count := e.Count
		if e.Series != nil {
			last = SinceMicro(e.Series.LastObservedTime, now)
			count = e.Series.Count
		} else if count == 0 {
			count = 1
		}
		target := strings.ToLower(e.InvolvedObject.Kind)
		if e.InvolvedObject.Name != "" {
			target += "/" + e.InvolvedObject.Name
		}
		return []string{last, e.Type, e.Reason, target, e.InvolvedObject.FieldPath,
			EventSource(e), strings.TrimSpace(e.Message), first, fmt.Sprint(count), e.Name}
	},
}

// EventSource renders who reported an event: "component, host", falling back to the
// reporting controller and instance of the newer events API.
func EventSource(e *core.Event) string {
	component := e.Source.Component
	if component == "" {
		component = e.ReportingController
	}
	instance := e.Source.Host
	if instance == "" {
		instance = e.ReportingInstance
	}
	if instance == "" {
		return component
	}
	return component + ", " + instance
}

// EventInterval renders when an event happened as `kubectl events` and `kubectl describe` do:
// the age of its first occurrence, or "2m (x4 over 10m)" for a repeated event.
func EventInterval(e *core.Event, now time.Time) string {
	first := SinceMicro(e.EventTime, now)
	if e.EventTime.IsZero() {
		first = Since(e.FirstTimestamp, now)
	}
	switch {
	case e.Series != nil:
		return fmt.Sprintf("%s (x%d over %s)", SinceMicro(e.Series.LastObservedTime, now), e.Series.Count, first)
	case e.Count > 1:
		return fmt.Sprintf("%s (x%d over %s)", Since(e.LastTimestamp, now), e.Count, first)
	}
	return first
}

// eventTime is the time events are sorted by: the last observation of a series, else the
// last timestamp, else the event time.
func eventTime(e *core.Event) time.Time {
	switch {
	case e.Series != nil:
		return e.Series.LastObservedTime.Time
	case !e.LastTimestamp.IsZero():
		return e.LastTimestamp.Time
	}
	return e.EventTime.Time
}

// SortEvents sorts events oldest first, as kubectl's SortableEvents does (stable, so events of
// the same second keep their order).
func SortEvents(events []*core.Event) {
	sort.SliceStable(events, func(i, j int) bool { return eventTime(events[i]).Before(eventTime(events[j])) })
}

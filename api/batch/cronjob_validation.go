package batch

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	// The IANA time zone database, so that timeZone validates the same on every host, with
	// or without /usr/share/zoneinfo.
	_ "time/tzdata"

	"github.com/robfig/cron/v3"

	"github.com/skiff-dev/skiff/api/validation"
)

// MaxCronJobNameLength is the longest CronJob name accepted on create: the Jobs it creates
// are named <cronjob>-<minutes since the epoch>, which must fit a 63-character label.
const MaxCronJobNameLength = 52

// ValidateCronJob checks a CronJob on create (../shared/spec/cronjob.md §1): the name is a
// DNS subdomain of at most 52 characters; the schedule parses with the cron standard parser
// and contains no TZ= or CRON_TZ= prefix; timeZone, when set, is a valid IANA zone name;
// startingDeadlineSeconds and the history limits are not negative; concurrencyPolicy is
// Allow, Forbid or Replace; the job template satisfies the Job spec rules and has neither a
// selector nor manualSelector true.
func ValidateCronJob(cj *CronJob) validation.ErrorList {
	errs := validation.ValidateObjectMeta(&cj.ObjectMeta, true, validation.NameIsDNSSubdomain, validation.NewPath("metadata"))
	errs = append(errs, validateCronJobSpec(&cj.Spec, nil, validation.NewPath("spec"))...)
	if len(cj.Name) > MaxCronJobNameLength {
		errs = append(errs, validation.Invalid(validation.NewPath("metadata", "name"), cj.Name, fmt.Sprintf("must be no more than %d characters", MaxCronJobNameLength)))
	}
	return errs
}

// ValidateCronJobUpdate checks an update of old to cj: the spec rules of ValidateCronJob and
// the metadata update rules. The name length limit is not applied, so that older CronJobs with
// longer names can still be updated, and a TZ prefix in the schedule is tolerated when the old
// schedule already had one and timeZone is not set; timeZone is revalidated only when it
// changed.
func ValidateCronJobUpdate(cj, old *CronJob) validation.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&cj.ObjectMeta, &old.ObjectMeta, true, validation.NameIsDNSSubdomain, validation.NewPath("metadata"))
	return append(errs, validateCronJobSpec(&cj.Spec, &old.Spec, validation.NewPath("spec"))...)
}

// ValidateCronJobStatusUpdate checks a write of cj's status over old: only the metadata update
// rules apply.
func ValidateCronJobStatusUpdate(cj, old *CronJob) validation.ErrorList {
	return validation.ValidateObjectMetaUpdate(&cj.ObjectMeta, &old.ObjectMeta, true, validation.NameIsDNSSubdomain, validation.NewPath("metadata"))
}

func validateCronJobSpec(s, old *CronJobSpec, p *validation.Path) validation.ErrorList {
	var errs validation.ErrorList
	if s.Schedule == "" {
		errs = append(errs, validation.Required(p.Child("schedule"), ""))
	} else {
		allowTZ := old != nil && strings.Contains(old.Schedule, "TZ")
		errs = append(errs, validateSchedule(s.Schedule, allowTZ, s.TimeZone, p.Child("schedule"))...)
	}
	errs = append(errs, validateOptionalNonnegative(s.StartingDeadlineSeconds, p.Child("startingDeadlineSeconds"))...)
	if old == nil || !equalJSON(old.TimeZone, s.TimeZone) {
		errs = append(errs, validateTimeZone(s.TimeZone, p.Child("timeZone"))...)
	}
	cp := p.Child("concurrencyPolicy")
	switch s.ConcurrencyPolicy {
	case AllowConcurrent, ForbidConcurrent, ReplaceConcurrent:
	case "":
		errs = append(errs, validation.Required(cp, ""))
	default:
		errs = append(errs, validation.NotSupported(cp, string(s.ConcurrencyPolicy), []ConcurrencyPolicy{AllowConcurrent, ForbidConcurrent, ReplaceConcurrent}))
	}
	errs = append(errs, validateJobTemplateSpec(&s.JobTemplate, p.Child("jobTemplate"))...)
	errs = append(errs, validateOptionalNonnegative(s.SuccessfulJobsHistoryLimit, p.Child("successfulJobsHistoryLimit"))...)
	return append(errs, validateOptionalNonnegative(s.FailedJobsHistoryLimit, p.Child("failedJobsHistoryLimit"))...)
}

// validateSchedule parses the schedule as the controller will and rejects TZ prefixes.
func validateSchedule(schedule string, allowTZ bool, timeZone *string, p *validation.Path) validation.ErrorList {
	var errs validation.ErrorList
	if err := parseSchedule(schedule); err != nil {
		errs = append(errs, validation.Invalid(p, schedule, err.Error()))
	}
	hasTZ := strings.Contains(schedule, "TZ")
	switch {
	case allowTZ && hasTZ && timeZone != nil:
		errs = append(errs, validation.Invalid(p, schedule, "cannot use both timeZone field and TZ or CRON_TZ in schedule"))
	case !allowTZ && hasTZ:
		errs = append(errs, validation.Invalid(p, schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"))
	}
	return errs
}

// parseSchedule parses a schedule with the standard parser, turning a panic of the parser
// (robfig/cron/v3 slices out of range on a zone prefix with nothing after it, such as
// "TZ=UTC") into an error.
func parseSchedule(schedule string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("unparseable schedule: %v", r)
		}
	}()
	_, err = cron.ParseStandard(schedule)
	return err
}

// timeZonePartRe is what each /-separated part of a zone name may contain (IANA's naming
// rules, plus digits and '+' for legacy names such as Etc/GMT+5).
var timeZonePartRe = regexp.MustCompile(`^[A-Za-z.\-_0-9+]{1,14}$`)

// validateTimeZone checks that tz, when set, names a zone of the IANA database.
func validateTimeZone(tz *string, p *validation.Path) validation.ErrorList {
	if tz == nil {
		return nil
	}
	if *tz == "" {
		return validation.ErrorList{validation.Invalid(p, *tz, "timeZone must be nil or non-empty string")}
	}
	for _, part := range strings.Split(*tz, "/") {
		if part == "." || part == ".." || strings.HasPrefix(part, "-") || !timeZonePartRe.MatchString(part) {
			return validation.ErrorList{validation.Invalid(p, *tz, "unknown time zone "+*tz)}
		}
	}
	var errs validation.ErrorList
	if strings.EqualFold(*tz, "Local") {
		errs = append(errs, validation.Invalid(p, *tz, "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"))
	}
	if _, err := time.LoadLocation(*tz); err != nil {
		errs = append(errs, validation.Invalid(p, *tz, err.Error()))
	}
	return errs
}

// validateJobTemplateSpec checks a CronJob's job template: the Job spec rules, and no
// selector (it is generated for each Job).
func validateJobTemplateSpec(t *JobTemplateSpec, p *validation.Path) validation.ErrorList {
	mp := p.Child("metadata")
	errs := validation.ValidateLabels(t.Labels, mp.Child("labels"))
	errs = append(errs, validation.ValidateAnnotations(t.Annotations, mp.Child("annotations"))...)
	sp := p.Child("spec")
	errs = append(errs, validateJobSpec(&t.Spec, sp)...)
	if t.Spec.Selector != nil {
		errs = append(errs, validation.Invalid(sp.Child("selector"), badValue(t.Spec.Selector), "`selector` will be auto-generated"))
	}
	if t.Spec.ManualSelector != nil && *t.Spec.ManualSelector {
		errs = append(errs, validation.NotSupported(sp.Child("manualSelector"), "true", []string{"nil", "false"}))
	}
	return errs
}

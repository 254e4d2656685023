package batch

import (
	"fmt"
	"slices"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/validation"
	"github.com/skiff-dev/skiff/labels"
)

// Limits of the Job API (../shared/spec/job.md §1, §5, §7).
const (
	maxParallelismForIndexedJob       = 100000
	maxFailedIndexesForIndexedJob     = 100000
	completionsSoftLimit              = 100000
	limitForHighCompletions           = 10000
	maxPodFailurePolicyRules          = 20
	maxPodFailurePolicyExitCodeValues = 255
	maxPodFailurePolicyPatterns       = 20
	maxManagedByLength                = 63
	maxSucceededIndexesLength         = 64 * 1024
	maxSuccessPolicyRules             = 20
)

// ValidateJob checks a Job on create (../shared/spec/job.md §1): the metadata (the name is a
// DNS subdomain; for an Indexed Job <name>-<completions−1> must be a DNS label); unless
// manualSelector is true, the generated selector and template labels of GenerateJobSelector;
// a selector that matches the template's labels; and the spec rules (counts not negative,
// completion mode, backoffLimitPerIndex and maxFailedIndexes, pod failure policy, success
// policy, pod replacement policy, managedBy, the pod template with restartPolicy OnFailure
// or Never).
func ValidateJob(j *Job) validation.ErrorList {
	errs := validation.ValidateObjectMeta(&j.ObjectMeta, true, validation.NameIsDNSSubdomain, validation.NewPath("metadata"))
	errs = append(errs, validateIndexedJobName(j)...)
	errs = append(errs, validateGeneratedSelector(j)...)
	return append(errs, validateJobSpecWithSelector(&j.Spec, validation.NewPath("spec"))...)
}

// ValidateJobUpdate checks an update of old to j: the spec rules of ValidateJob and the
// metadata update rules, plus immutability: selector, completionMode, podFailurePolicy,
// backoffLimitPerIndex, successPolicy and managedBy never change; completions changes only
// for an Indexed Job and only together with parallelism (kept equal); the pod template
// changes only while the Job is suspended and has never started, and then only its labels,
// annotations, nodeSelector, tolerations, node affinity and scheduling gates.
func ValidateJobUpdate(j, old *Job) validation.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&j.ObjectMeta, &old.ObjectMeta, true, validation.NameIsDNSSubdomain, validation.NewPath("metadata"))
	p := validation.NewPath("spec")
	s, os := &j.Spec, &old.Spec
	errs = append(errs, validateJobSpecWithSelector(s, p)...)
	errs = append(errs, validateCompletionsUpdate(s, os, p)...)
	errs = append(errs, validateImmutable(s.Selector, os.Selector, p.Child("selector"))...)
	errs = append(errs, validateTemplateUpdate(j, old, p.Child("template"))...)
	errs = append(errs, validateImmutable(s.CompletionMode, os.CompletionMode, p.Child("completionMode"))...)
	errs = append(errs, validateImmutable(s.PodFailurePolicy, os.PodFailurePolicy, p.Child("podFailurePolicy"))...)
	errs = append(errs, validateImmutable(s.BackoffLimitPerIndex, os.BackoffLimitPerIndex, p.Child("backoffLimitPerIndex"))...)
	errs = append(errs, validateImmutable(s.ManagedBy, os.ManagedBy, p.Child("managedBy"))...)
	return append(errs, validateImmutable(s.SuccessPolicy, os.SuccessPolicy, p.Child("successPolicy"))...)
}

// ValidateJobStatusUpdate checks a write of j's status over old (../shared/spec/job.md §9):
// counts are not negative; a True Complete, Failed, FailureTarget or SuccessCriteriaMet
// condition is never removed or turned off; Complete and Failed are never both True; failed
// never decreases, nor does succeeded except for Indexed Jobs (whose completions may shrink);
// a set completionTime never changes.
func ValidateJobStatusUpdate(j, old *Job) validation.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&j.ObjectMeta, &old.ObjectMeta, true, validation.NameIsDNSSubdomain, validation.NewPath("metadata"))
	p := validation.NewPath("status")
	s, os := &j.Status, &old.Status
	errs = append(errs, validation.ValidateNonnegative(s.Active, p.Child("active"))...)
	errs = append(errs, validation.ValidateNonnegative(s.Succeeded, p.Child("succeeded"))...)
	errs = append(errs, validation.ValidateNonnegative(s.Failed, p.Child("failed"))...)
	errs = append(errs, validateOptionalNonnegative(s.Ready, p.Child("ready"))...)
	errs = append(errs, validateOptionalNonnegative(s.Terminating, p.Child("terminating"))...)
	if s.Failed < os.Failed {
		errs = append(errs, validation.Invalid(p.Child("failed"), s.Failed, "cannot decrease the failed counter"))
	}
	indexed := j.Spec.CompletionMode != nil && *j.Spec.CompletionMode == IndexedCompletion
	if s.Succeeded < os.Succeeded && !indexed {
		errs = append(errs, validation.Invalid(p.Child("succeeded"), s.Succeeded, "cannot decrease the succeeded counter"))
	}
	for _, t := range []JobConditionType{JobComplete, JobFailed, JobFailureTarget, JobSuccessCriteriaMet} {
		if isJobConditionTrue(os.Conditions, t) && !isJobConditionTrue(s.Conditions, t) {
			errs = append(errs, validation.Invalid(p.Child("conditions"), string(t), fmt.Sprintf("cannot disable the %s=True condition", t)))
		}
	}
	if isJobConditionTrue(s.Conditions, JobComplete) && isJobConditionTrue(s.Conditions, JobFailed) {
		errs = append(errs, validation.Invalid(p.Child("conditions"), string(JobFailed), "cannot set both Complete=True and Failed=True conditions"))
	}
	if os.CompletionTime != nil && !os.CompletionTime.Equal(s.CompletionTime) {
		errs = append(errs, validation.Invalid(p.Child("completionTime"), badValue(s.CompletionTime), "field is immutable"))
	}
	return errs
}

// isJobConditionTrue reports whether conds has condition t with status True.
func isJobConditionTrue(conds []JobCondition, t JobConditionType) bool {
	return slices.ContainsFunc(conds, func(c JobCondition) bool { return c.Type == t && c.Status == meta.ConditionTrue })
}

// validateIndexedJobName checks that an Indexed Job's highest pod hostname,
// <name>-<completions−1>, is a DNS label.
func validateIndexedJobName(j *Job) validation.ErrorList {
	s := &j.Spec
	if s.CompletionMode == nil || *s.CompletionMode != IndexedCompletion || s.Completions == nil || *s.Completions <= 0 || j.Name == "" {
		return nil
	}
	host := fmt.Sprintf("%s-%d", j.Name, *s.Completions-1)
	if len(validation.IsDNS1123Label(host)) > 0 {
		return validation.ErrorList{validation.Invalid(validation.NewPath("metadata", "name"), j.Name, "will not able to create pod with invalid DNS label: "+host)}
	}
	return nil
}

// validateGeneratedSelector checks, unless manualSelector is true, that the selector and the
// template labels are those GenerateJobSelector writes.
func validateGeneratedSelector(j *Job) validation.ErrorList {
	if j.Spec.ManualSelector != nil && *j.Spec.ManualSelector || j.Spec.Selector == nil {
		return nil
	}
	var errs validation.ErrorList
	if j.UID == "" {
		errs = append(errs, validation.Required(validation.NewPath("metadata", "uid"), ""))
	}
	tp := validation.NewPath("spec", "template", "metadata")
	uid := string(j.UID)
	errs = append(errs, validateHasLabel(&j.Spec.Template.ObjectMeta, LegacyControllerUIDLabel, uid, tp)...)
	errs = append(errs, validateHasLabel(&j.Spec.Template.ObjectMeta, LegacyJobNameLabel, j.Name, tp)...)
	errs = append(errs, validateHasLabel(&j.Spec.Template.ObjectMeta, ControllerUIDLabel, uid, tp)...)
	errs = append(errs, validateHasLabel(&j.Spec.Template.ObjectMeta, JobNameLabel, j.Name, tp)...)
	expected := labels.Set{
		ControllerUIDLabel: uid, JobNameLabel: j.Name,
		LegacyControllerUIDLabel: uid, LegacyJobNameLabel: j.Name,
	}
	if sel, err := labels.FromLabelSelector(j.Spec.Selector); err == nil && !sel.Matches(expected) {
		errs = append(errs, validation.Invalid(validation.NewPath("spec", "selector"), badValue(j.Spec.Selector), "`selector` not auto-generated"))
	}
	return errs
}

// validateJobSpecWithSelector checks a Job's spec including its selector, which must be set
// and match the template's labels.
func validateJobSpecWithSelector(s *JobSpec, p *validation.Path) validation.ErrorList {
	errs := validateJobSpec(s, p)
	sp := p.Child("selector")
	if s.Selector == nil {
		return append(errs, validation.Required(sp, ""))
	}
	selErrs := labels.ValidateLabelSelector(s.Selector, sp)
	errs = append(errs, selErrs...)
	if len(selErrs) > 0 {
		return errs
	}
	if sel, err := labels.FromLabelSelector(s.Selector); err == nil && !sel.Matches(labels.Set(s.Template.Labels)) {
		errs = append(errs, validation.Invalid(p.Child("template", "metadata", "labels"), templateLabels(s.Template.Labels), "`selector` does not match template `labels`"))
	}
	return errs
}

// validateJobSpec checks the rules of a Job spec that do not involve the selector; a CronJob's
// job template is checked with them too.
func validateJobSpec(s *JobSpec, p *validation.Path) validation.ErrorList {
	var errs validation.ErrorList
	errs = append(errs, validateOptionalNonnegative(s.Parallelism, p.Child("parallelism"))...)
	errs = append(errs, validateOptionalNonnegative(s.Completions, p.Child("completions"))...)
	errs = append(errs, validateOptionalNonnegative(s.ActiveDeadlineSeconds, p.Child("activeDeadlineSeconds"))...)
	errs = append(errs, validateOptionalNonnegative(s.BackoffLimit, p.Child("backoffLimit"))...)
	errs = append(errs, validateOptionalNonnegative(s.TTLSecondsAfterFinished, p.Child("ttlSecondsAfterFinished"))...)
	indexed := s.CompletionMode != nil && *s.CompletionMode == IndexedCompletion
	if s.BackoffLimitPerIndex != nil {
		errs = append(errs, validation.ValidateNonnegative(*s.BackoffLimitPerIndex, p.Child("backoffLimitPerIndex"))...)
		if !indexed {
			errs = append(errs, validation.Forbidden(p.Child("backoffLimitPerIndex"), "requires indexed completion mode"))
		}
	}
	if s.MaxFailedIndexes != nil {
		errs = append(errs, validation.ValidateNonnegative(*s.MaxFailedIndexes, p.Child("maxFailedIndexes"))...)
		if s.BackoffLimitPerIndex == nil {
			errs = append(errs, validation.Required(p.Child("backoffLimitPerIndex"), "when maxFailedIndexes is specified"))
		}
	}
	if s.ManagedBy != nil {
		mp := p.Child("managedBy")
		errs = append(errs, validateDomainPrefixedPath(*s.ManagedBy, mp)...)
		if len(*s.ManagedBy) > maxManagedByLength {
			errs = append(errs, validation.TooLong(mp, *s.ManagedBy, maxManagedByLength))
		}
	}
	if s.CompletionMode != nil {
		errs = append(errs, validateCompletionMode(s, p)...)
	}
	if s.PodFailurePolicy != nil {
		errs = append(errs, validatePodFailurePolicy(s, p.Child("podFailurePolicy"))...)
	}
	if s.SuccessPolicy != nil {
		errs = append(errs, validateSuccessPolicy(s, p.Child("successPolicy"))...)
	}
	errs = append(errs, validatePodReplacementPolicy(s, p.Child("podReplacementPolicy"))...)
	errs = append(errs, core.ValidatePodTemplateSpec(&s.Template, p.Child("template"))...)
	rp := p.Child("template", "spec", "restartPolicy")
	switch rpv := s.Template.Spec.RestartPolicy; {
	case rpv == core.RestartPolicyAlways || rpv == "":
		errs = append(errs, validation.Required(rp, fmt.Sprintf("valid values: %q, %q", core.RestartPolicyOnFailure, core.RestartPolicyNever)))
	case rpv != core.RestartPolicyOnFailure && rpv != core.RestartPolicyNever:
		errs = append(errs, validation.NotSupported(rp, string(rpv), []core.RestartPolicy{core.RestartPolicyOnFailure, core.RestartPolicyNever}))
	case s.PodFailurePolicy != nil && rpv != core.RestartPolicyNever:
		errs = append(errs, validation.Invalid(rp, string(rpv), fmt.Sprintf("only %q is supported when podFailurePolicy is specified", core.RestartPolicyNever)))
	}
	return errs
}

// validateCompletionMode checks the completion mode and the limits of Indexed Jobs.
func validateCompletionMode(s *JobSpec, p *validation.Path) validation.ErrorList {
	mode := *s.CompletionMode
	if mode != NonIndexedCompletion && mode != IndexedCompletion {
		return validation.ErrorList{validation.NotSupported(p.Child("completionMode"), string(mode), []CompletionMode{NonIndexedCompletion, IndexedCompletion})}
	}
	if mode != IndexedCompletion {
		return nil
	}
	var errs validation.ErrorList
	if s.Completions == nil {
		errs = append(errs, validation.Required(p.Child("completions"), fmt.Sprintf("when completion mode is %s", IndexedCompletion)))
	}
	if s.Parallelism != nil && *s.Parallelism > maxParallelismForIndexedJob {
		errs = append(errs, validation.Invalid(p.Child("parallelism"), *s.Parallelism, fmt.Sprintf("must be less than or equal to %d when completion mode is %s", maxParallelismForIndexedJob, IndexedCompletion)))
	}
	if s.MaxFailedIndexes != nil {
		if s.Completions != nil && *s.MaxFailedIndexes > *s.Completions {
			errs = append(errs, validation.Invalid(p.Child("maxFailedIndexes"), *s.MaxFailedIndexes, "must be less than or equal to completions"))
		}
		if *s.MaxFailedIndexes > maxFailedIndexesForIndexedJob {
			errs = append(errs, validation.Invalid(p.Child("maxFailedIndexes"), *s.MaxFailedIndexes, fmt.Sprintf("must be less than or equal to %d", maxFailedIndexesForIndexedJob)))
		}
	}
	if s.BackoffLimitPerIndex != nil && s.Completions != nil && *s.Completions > completionsSoftLimit {
		high := fmt.Sprintf("must be less than or equal to %d when completions are above %d and used with backoff limit per index", limitForHighCompletions, completionsSoftLimit)
		if s.MaxFailedIndexes == nil {
			errs = append(errs, validation.Required(p.Child("maxFailedIndexes"), fmt.Sprintf("must be specified when completions is above %d", completionsSoftLimit)))
		} else if *s.MaxFailedIndexes > limitForHighCompletions {
			errs = append(errs, validation.Invalid(p.Child("maxFailedIndexes"), *s.MaxFailedIndexes, high))
		}
		if s.Parallelism != nil && *s.Parallelism > limitForHighCompletions {
			errs = append(errs, validation.Invalid(p.Child("parallelism"), *s.Parallelism, high))
		}
	}
	return errs
}

var (
	podFailurePolicyActions = []PodFailurePolicyAction{PodFailurePolicyActionCount, PodFailurePolicyActionFailIndex, PodFailurePolicyActionFailJob, PodFailurePolicyActionIgnore}
	exitCodeOperators       = []PodFailurePolicyOnExitCodesOperator{PodFailurePolicyOnExitCodesOpIn, PodFailurePolicyOnExitCodesOpNotIn}
	conditionStatuses       = []meta.ConditionStatus{meta.ConditionFalse, meta.ConditionTrue, meta.ConditionUnknown}
)

func validatePodFailurePolicy(s *JobSpec, p *validation.Path) validation.ErrorList {
	var errs validation.ErrorList
	rp := p.Child("rules")
	if n := len(s.PodFailurePolicy.Rules); n > maxPodFailurePolicyRules {
		errs = append(errs, validation.TooMany(rp, n, maxPodFailurePolicyRules))
	}
	names := containerNames(&s.Template)
	for i := range s.PodFailurePolicy.Rules {
		errs = append(errs, validatePodFailurePolicyRule(s, &s.PodFailurePolicy.Rules[i], names, rp.Index(i))...)
	}
	return errs
}

func validatePodFailurePolicyRule(s *JobSpec, r *PodFailurePolicyRule, names map[string]bool, p *validation.Path) validation.ErrorList {
	var errs validation.ErrorList
	ap := p.Child("action")
	switch {
	case r.Action == "":
		errs = append(errs, validation.Required(ap, fmt.Sprintf("valid values: %q", podFailurePolicyActions)))
	case r.Action == PodFailurePolicyActionFailIndex:
		if s.BackoffLimitPerIndex == nil {
			errs = append(errs, validation.Invalid(ap, string(r.Action), "requires the backoffLimitPerIndex to be set"))
		}
	case !slices.Contains(podFailurePolicyActions, r.Action):
		errs = append(errs, validation.NotSupported(ap, string(r.Action), podFailurePolicyActions))
	}
	if r.OnExitCodes != nil {
		errs = append(errs, validateOnExitCodes(r.OnExitCodes, names, p.Child("onExitCodes"))...)
	}
	if len(r.OnPodConditions) > 0 {
		errs = append(errs, validateOnPodConditions(r.OnPodConditions, p.Child("onPodConditions"))...)
	}
	switch {
	case r.OnExitCodes != nil && len(r.OnPodConditions) > 0:
		errs = append(errs, validation.Invalid(p, nil, "specifying both OnExitCodes and OnPodConditions is not supported"))
	case r.OnExitCodes == nil && len(r.OnPodConditions) == 0:
		errs = append(errs, validation.Invalid(p, nil, "specifying one of OnExitCodes and OnPodConditions is required"))
	}
	return errs
}

func validateOnExitCodes(r *PodFailurePolicyOnExitCodesRequirement, names map[string]bool, p *validation.Path) validation.ErrorList {
	var errs validation.ErrorList
	op := p.Child("operator")
	switch {
	case r.Operator == "":
		errs = append(errs, validation.Required(op, fmt.Sprintf("valid values: %q", exitCodeOperators)))
	case !slices.Contains(exitCodeOperators, r.Operator):
		errs = append(errs, validation.NotSupported(op, string(r.Operator), exitCodeOperators))
	}
	if r.ContainerName != nil && !names[*r.ContainerName] {
		errs = append(errs, validation.Invalid(p.Child("containerName"), *r.ContainerName, "must be one of the container or initContainer names in the pod template"))
	}
	vp := p.Child("values")
	switch n := len(r.Values); {
	case n == 0:
		errs = append(errs, validation.Invalid(vp, badValue(r.Values), "at least one value is required"))
	case n > maxPodFailurePolicyExitCodeValues:
		errs = append(errs, validation.TooMany(vp, n, maxPodFailurePolicyExitCodeValues))
	}
	seen := make(map[int32]bool, len(r.Values))
	for j, v := range r.Values {
		if r.Operator == PodFailurePolicyOnExitCodesOpIn && v == 0 {
			errs = append(errs, validation.Invalid(vp.Index(j), v, "must not be 0 for the In operator"))
		}
		if seen[v] {
			errs = append(errs, validation.Duplicate(vp.Index(j), v))
		}
		seen[v] = true
	}
	if !slices.IsSorted(r.Values) {
		errs = append(errs, validation.Invalid(vp, badValue(r.Values), "must be ordered"))
	}
	return errs
}

func validateOnPodConditions(patterns []PodFailurePolicyOnPodConditionsPattern, p *validation.Path) validation.ErrorList {
	var errs validation.ErrorList
	if len(patterns) > maxPodFailurePolicyPatterns {
		errs = append(errs, validation.TooMany(p, len(patterns), maxPodFailurePolicyPatterns))
	}
	for j, pat := range patterns {
		pp := p.Index(j)
		for _, msg := range validation.IsQualifiedName(string(pat.Type)) {
			errs = append(errs, validation.Invalid(pp.Child("type"), string(pat.Type), msg))
		}
		sp := pp.Child("status")
		switch {
		case pat.Status == "":
			errs = append(errs, validation.Required(sp, fmt.Sprintf("valid values: %q", conditionStatuses)))
		case !slices.Contains(conditionStatuses, pat.Status):
			errs = append(errs, validation.NotSupported(sp, string(pat.Status), conditionStatuses))
		}
	}
	return errs
}

func validateSuccessPolicy(s *JobSpec, p *validation.Path) validation.ErrorList {
	var errs validation.ErrorList
	if s.CompletionMode == nil || *s.CompletionMode != IndexedCompletion {
		errs = append(errs, validation.Invalid(p, nil, "requires indexed completion mode"))
	}
	rp := p.Child("rules")
	switch n := len(s.SuccessPolicy.Rules); {
	case n == 0:
		errs = append(errs, validation.Required(rp, "at least one rules must be specified when the successPolicy is specified"))
	case n > maxSuccessPolicyRules:
		errs = append(errs, validation.TooMany(rp, n, maxSuccessPolicyRules))
	}
	completions := int32(0)
	if s.Completions != nil {
		completions = *s.Completions
	}
	for i, r := range s.SuccessPolicy.Rules {
		ip := rp.Index(i)
		if r.SucceededCount == nil && r.SucceededIndexes == nil {
			errs = append(errs, validation.Required(ip, "at least one of succeededCount or succeededIndexes must be specified"))
		}
		var total int32
		if r.SucceededIndexes != nil {
			xp := ip.Child("succeededIndexes")
			if len(*r.SucceededIndexes) > maxSucceededIndexesLength {
				errs = append(errs, validation.TooLong(xp, "", maxSucceededIndexesLength))
			}
			var err error
			if total, err = parseIndexes(*r.SucceededIndexes, completions); err != nil {
				errs = append(errs, validation.Invalid(xp, *r.SucceededIndexes, "error parsing succeededIndexes: "+err.Error()))
			}
		}
		if r.SucceededCount != nil {
			cp := ip.Child("succeededCount")
			errs = append(errs, validation.ValidateNonnegative(*r.SucceededCount, cp)...)
			if *r.SucceededCount > completions {
				errs = append(errs, validation.Invalid(cp, *r.SucceededCount, fmt.Sprintf("must be less than or equal to %d (the number of specified completions)", completions)))
			}
			if r.SucceededIndexes != nil && *r.SucceededCount > total {
				errs = append(errs, validation.Invalid(cp, *r.SucceededCount, fmt.Sprintf("must be less than or equal to %d (the number of indexes in the specified succeededIndexes field)", total)))
			}
		}
	}
	return errs
}

func validatePodReplacementPolicy(s *JobSpec, p *validation.Path) validation.ErrorList {
	if s.PodReplacementPolicy == nil {
		return nil
	}
	v := *s.PodReplacementPolicy
	if s.PodFailurePolicy != nil {
		if v != Failed {
			return validation.ErrorList{validation.NotSupported(p, string(v), []PodReplacementPolicy{Failed})}
		}
		return nil
	}
	if v != Failed && v != TerminatingOrFailed {
		return validation.ErrorList{validation.NotSupported(p, string(v), []PodReplacementPolicy{Failed, TerminatingOrFailed})}
	}
	return nil
}

// validateCompletionsUpdate allows completions to change only for Indexed Jobs, and then only
// together with parallelism (equal to it).
func validateCompletionsUpdate(s, old *JobSpec, p *validation.Path) validation.ErrorList {
	cp := p.Child("completions")
	indexed := s.CompletionMode != nil && *s.CompletionMode == IndexedCompletion
	if !indexed {
		return validateImmutable(s.Completions, old.Completions, cp)
	}
	if equalJSON(s.Completions, old.Completions) || s.Completions == nil {
		return nil
	}
	if s.Parallelism == nil || *s.Completions != *s.Parallelism {
		return validation.ErrorList{validation.Invalid(cp, *s.Completions, "can only be modified in tandem with spec.parallelism")}
	}
	return nil
}

// validateTemplateUpdate keeps the pod template immutable, except that a suspended Job that
// never started may change the scheduling directives and metadata of its pods.
func validateTemplateUpdate(j, old *Job, p *validation.Path) validation.ErrorList {
	oldT := old.Spec.Template // shallow copy: only whole fields are replaced below
	newT := &j.Spec.Template
	suspended := old.Spec.Suspend != nil && *old.Spec.Suspend
	if suspended && old.Status.StartTime == nil {
		switch {
		case newT.Spec.Affinity == nil && oldT.Spec.Affinity != nil:
			a := *oldT.Spec.Affinity
			a.NodeAffinity = nil
			oldT.Spec.Affinity = &a
			if equalJSON(a, core.Affinity{}) {
				oldT.Spec.Affinity = nil
			}
		case newT.Spec.Affinity != nil && oldT.Spec.Affinity == nil:
			oldT.Spec.Affinity = &core.Affinity{NodeAffinity: newT.Spec.Affinity.NodeAffinity}
		case newT.Spec.Affinity != nil && oldT.Spec.Affinity != nil:
			a := *oldT.Spec.Affinity
			a.NodeAffinity = newT.Spec.Affinity.NodeAffinity
			oldT.Spec.Affinity = &a
		}
		oldT.Spec.NodeSelector = newT.Spec.NodeSelector
		oldT.Spec.Tolerations = newT.Spec.Tolerations
		oldT.Spec.SchedulingGates = newT.Spec.SchedulingGates
		oldT.Labels = newT.Labels
		oldT.Annotations = newT.Annotations
	}
	return validateImmutable(newT, &oldT, p)
}

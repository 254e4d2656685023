package core

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/skiff-dev/skiff/api/resource"
	"github.com/skiff-dev/skiff/api/validation"
)

// podContext carries what container validation needs to know about the rest of the pod.
type podContext struct {
	volumes     []Volume           // spec.volumes
	claims      []PodResourceClaim // spec.resourceClaims
	names       nameSet            // container names seen so far (all kinds)
	isPod       bool               // validating a pod, not a template
	hostNetwork bool
}

// volume returns the source of the first volume named name, or nil if there is none. Pods
// have few volumes: a scan costs less than building a map.
func (ctx *podContext) volume(name string) *VolumeSource {
	for i := range ctx.volumes {
		if v := &ctx.volumes[i]; v.Name == name && name != "" {
			return &v.VolumeSource
		}
	}
	return nil
}

// hasClaim reports whether spec.resourceClaims has a claim named name.
func (ctx *podContext) hasClaim(name string) bool {
	return slices.ContainsFunc(ctx.claims, func(c PodResourceClaim) bool { return c.Name == name })
}

// validateContainerCommon checks what every kind of container shares.
func validateContainerCommon(c *Container, ctx *podContext, p *path) errorList {
	var errs errorList
	switch {
	case c.Name == "":
		errs = append(errs, validation.Required(p.Child("name"), ""))
	case ctx.names.has(c.Name):
		errs = append(errs, validation.Duplicate(p.Child("name"), c.Name))
	default:
		errs = append(errs, validateDNSLabel(c.Name, p.Child("name"))...)
	}
	ctx.names.add(c.Name)
	if c.Image == "" {
		errs = append(errs, validation.Required(p.Child("image"), ""))
	} else if ctx.isPod && strings.TrimSpace(c.Image) != c.Image {
		errs = append(errs, validation.Invalid(p.Child("image"), c.Image, "must not have leading or trailing whitespace"))
	}
	errs = append(errs, requiredEnum(c.ImagePullPolicy, p.Child("imagePullPolicy"), PullAlways, PullIfNotPresent, PullNever)...)
	switch c.TerminationMessagePolicy {
	case TerminationMessageReadFile, TerminationMessageFallbackToLogsOnError:
	case "":
		errs = append(errs, validation.Required(p.Child("terminationMessagePolicy"), "must be 'File' or 'FallbackToLogsOnError'"))
	default:
		errs = append(errs, validation.Invalid(p.Child("terminationMessagePolicy"), string(c.TerminationMessagePolicy), "must be 'File' or 'FallbackToLogsOnError'"))
	}
	errs = append(errs, validateContainerPorts(c.Ports, ctx, p.Child("ports"))...)
	errs = append(errs, validateEnv(c.Env, ctx, p.Child("env"))...)
	errs = append(errs, validateEnvFrom(c.EnvFrom, p.Child("envFrom"))...)
	errs = append(errs, validateResourceRequirements(&c.Resources, ctx, p.Child("resources"))...)
	errs = append(errs, validateVolumeMounts(c.VolumeMounts, c.VolumeDevices, ctx, p)...)
	errs = append(errs, validateResizePolicy(c.ResizePolicy, p.Child("resizePolicy"))...)
	if c.SecurityContext != nil {
		errs = append(errs, validateSecurityContext(c.SecurityContext, p.Child("securityContext"))...)
	}
	return errs
}

// validateInitContainers checks init containers. Regular ones (without restartPolicy Always)
// may not have probes or lifecycle hooks; sidecars may.
func validateInitContainers(cs []Container, ctx *podContext, p *path) errorList {
	var errs errorList
	for i := range cs {
		c := &cs[i]
		ip := p.Index(i)
		errs = append(errs, validateContainerCommon(c, ctx, ip)...)
		if c.RestartPolicy != nil && *c.RestartPolicy != ContainerRestartPolicyAlways {
			errs = append(errs, notSupported(ip.Child("restartPolicy"), *c.RestartPolicy, ContainerRestartPolicyAlways))
		}
		if IsRestartableInitContainer(c) {
			errs = append(errs, validateProbesAndLifecycle(c, ip)...)
			continue
		}
		const msg = "may not be set for init containers without restartPolicy=Always"
		for _, f := range [...]struct {
			field string
			set   bool
		}{
			{"lifecycle", c.Lifecycle != nil}, {"livenessProbe", c.LivenessProbe != nil},
			{"readinessProbe", c.ReadinessProbe != nil}, {"startupProbe", c.StartupProbe != nil},
			{"resizePolicy", len(c.ResizePolicy) > 0},
		} {
			if f.set {
				errs = append(errs, validation.Forbidden(ip.Child(f.field), msg))
			}
		}
	}
	return sortErrors(errs)
}

// validateContainers checks the regular containers; at least one is required.
func validateContainers(cs []Container, ctx *podContext, p *path) errorList {
	if len(cs) == 0 {
		return errorList{validation.Required(p, "")}
	}
	var errs errorList
	for i := range cs {
		c := &cs[i]
		ip := p.Index(i)
		errs = append(errs, validateContainerCommon(c, ctx, ip)...)
		errs = append(errs, optionalEnum(c.RestartPolicy, ip.Child("restartPolicy"),
			ContainerRestartPolicyAlways, ContainerRestartPolicyOnFailure, ContainerRestartPolicyNever)...)
		errs = append(errs, validateRestartRules(c.RestartPolicyRules, ip.Child("restartPolicyRules"))...)
		errs = append(errs, validateProbesAndLifecycle(c, ip)...)
	}
	return errs
}

// validateEphemeralContainers checks debugging containers, which may not have ports,
// resources, probes, lifecycle hooks or sub-path mounts, and must target an existing
// container if they name one.
func validateEphemeralContainers(ecs []EphemeralContainer, others *nameSet, ctx *podContext, p *path) errorList {
	var errs errorList
	const msg = "cannot be set for an Ephemeral Container"
	for i := range ecs {
		ec := &ecs[i]
		ip := p.Index(i)
		c := (*Container)(&ec.EphemeralContainerCommon)
		errs = append(errs, validateContainerCommon(c, ctx, ip)...)
		forbidden := [...]struct {
			field string
			set   bool
		}{
			{"ports", len(c.Ports) > 0},
			{"resources", len(c.Resources.Limits) > 0 || len(c.Resources.Requests) > 0 || len(c.Resources.Claims) > 0},
			{"lifecycle", c.Lifecycle != nil},
			{"livenessProbe", c.LivenessProbe != nil},
			{"readinessProbe", c.ReadinessProbe != nil},
			{"startupProbe", c.StartupProbe != nil},
			{"resizePolicy", len(c.ResizePolicy) > 0},
			{"restartPolicy", c.RestartPolicy != nil},
			{"restartPolicyRules", len(c.RestartPolicyRules) > 0},
		}
		for _, f := range forbidden {
			if f.set {
				errs = append(errs, validation.Forbidden(ip.Child(f.field), msg))
			}
		}
		for j, m := range c.VolumeMounts {
			if m.SubPath != "" {
				errs = append(errs, validation.Forbidden(ip.Child("volumeMounts").Index(j).Child("subPath"), msg))
			}
		}
		if ec.TargetContainerName != "" && !others.has(ec.TargetContainerName) {
			errs = append(errs, validation.NotFound(ip.Child("targetContainerName"), ec.TargetContainerName))
		}
	}
	return errs
}

func validateRestartRules(rules []ContainerRestartRule, p *path) errorList {
	var errs errorList
	for i, r := range rules {
		ip := p.Index(i)
		errs = append(errs, requiredEnum(r.Action, ip.Child("action"), ContainerRestartRuleActionRestart)...)
		if r.ExitCodes == nil {
			errs = append(errs, validation.Required(ip.Child("exitCodes"), ""))
			continue
		}
		errs = append(errs, requiredEnum(r.ExitCodes.Operator, ip.Child("exitCodes", "operator"),
			ContainerRestartRuleOnExitCodesOpIn, ContainerRestartRuleOnExitCodesOpNotIn)...)
	}
	return errs
}

func validateContainerPorts(ports []ContainerPort, ctx *podContext, p *path) errorList {
	var errs errorList
	var names nameSet
	for i, port := range ports {
		ip := p.Index(i)
		if port.Name != "" {
			errs = append(errs, invalidAll(ip.Child("name"), port.Name, isValidPortName(port.Name))...)
			if names.has(port.Name) {
				errs = append(errs, validation.Duplicate(ip.Child("name"), port.Name))
			}
			names.add(port.Name)
		}
		if port.ContainerPort == 0 {
			errs = append(errs, validation.Required(ip.Child("containerPort"), ""))
		} else {
			errs = append(errs, validatePortNumber(port.ContainerPort, ip.Child("containerPort"))...)
		}
		if port.HostPort != 0 {
			errs = append(errs, validatePortNumber(port.HostPort, ip.Child("hostPort"))...)
			if ctx.hostNetwork && port.HostPort != port.ContainerPort {
				errs = append(errs, validation.Invalid(ip.Child("hostPort"), port.HostPort,
					"must match `containerPort` when `hostNetwork` is true"))
			}
		}
		if port.HostIP != "" {
			errs = append(errs, validateIP(port.HostIP, ip.Child("hostIP"))...)
		}
		errs = append(errs, requiredEnum(port.Protocol, ip.Child("protocol"), supportedProtocols...)...)
	}
	return errs
}

// Field paths the downward API can expose, in environment variables and in volume files.
var (
	envFieldPaths = []string{"metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName",
		"spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"}
	volumeFieldPaths = []string{"metadata.annotations", "metadata.labels", "metadata.name",
		"metadata.namespace", "metadata.uid"}
	// subscriptRe matches "metadata.labels['key']".
	subscriptRe = regexp.MustCompile(`^(metadata\.(?:labels|annotations))\['(.*)'\]$`)
)

// validateObjectFieldSelector checks a downward API field reference. forEnv is true for
// environment variables, which cannot take whole label or annotation maps.
func validateObjectFieldSelector(fs *ObjectFieldSelector, forEnv bool, p *path) errorList {
	var errs errorList
	if fs.APIVersion == "" {
		errs = append(errs, validation.Required(p.Child("apiVersion"), ""))
	} else if fs.APIVersion != APIVersion {
		errs = append(errs, validation.Invalid(p.Child("apiVersion"), fs.APIVersion, "unsupported API version"))
	}
	fp := p.Child("fieldPath")
	if fs.FieldPath == "" {
		return append(errs, validation.Required(fp, ""))
	}
	if m := subscriptRe.FindStringSubmatch(fs.FieldPath); m != nil {
		if m[1] == "metadata.labels" {
			return append(errs, invalidAll(fp, m[2], validation.IsQualifiedName(m[2]))...)
		}
		return append(errs, invalidAll(fp, m[2], validation.IsQualifiedName(strings.ToLower(m[2])))...)
	}
	allowed := volumeFieldPaths
	if forEnv {
		allowed = envFieldPaths
	}
	if !slices.Contains(allowed, fs.FieldPath) {
		errs = append(errs, validation.NotSupported(fp, fs.FieldPath, allowed))
	}
	return errs
}

var (
	resourceFieldRefs = []string{"limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu",
		"requests.ephemeral-storage", "requests.memory"}
	cpuDivisors    = []string{"1m", "1"}
	memoryDivisors = []string{"1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei"}
)

// validateResourceFieldSelector checks a downward API resource reference; volumes must name
// the container.
func validateResourceFieldSelector(fs *ResourceFieldSelector, forVolume bool, p *path) errorList {
	var errs errorList
	if forVolume && fs.ContainerName == "" {
		errs = append(errs, validation.Required(p.Child("containerName"), ""))
	}
	rp := p.Child("resource")
	switch {
	case fs.Resource == "":
		return append(errs, validation.Required(rp, ""))
	case strings.HasPrefix(fs.Resource, "limits.hugepages-") || strings.HasPrefix(fs.Resource, "requests.hugepages-"):
	case !slices.Contains(resourceFieldRefs, fs.Resource):
		return append(errs, validation.NotSupported(rp, fs.Resource, resourceFieldRefs))
	}
	if fs.Divisor.IsZero() {
		return errs
	}
	var allowed []string
	switch {
	case strings.HasSuffix(fs.Resource, ".cpu"):
		allowed = cpuDivisors
	case strings.HasSuffix(fs.Resource, ".memory"), strings.HasSuffix(fs.Resource, ".ephemeral-storage"),
		strings.Contains(fs.Resource, "hugepages-"):
		allowed = memoryDivisors
	}
	if !slices.ContainsFunc(allowed, func(s string) bool { return fs.Divisor.Cmp(resource.MustParse(s)) == 0 }) {
		errs = append(errs, validation.Invalid(p.Child("divisor"), fs.Divisor.String(),
			fmt.Sprintf("only divisor's values %s are supported with the %s resource", strings.Join(allowed, ", "),
				fs.Resource[strings.IndexByte(fs.Resource, '.')+1:])))
	}
	return errs
}

// validateKeySelector checks a config map or secret key reference.
func validateKeySelector(name, key string, p *path) errorList {
	var errs errorList
	if name == "" {
		errs = append(errs, validation.Required(p.Child("name"), ""))
	} else {
		errs = append(errs, validateDNSSubdomain(name, p.Child("name"))...)
	}
	if key == "" {
		errs = append(errs, validation.Required(p.Child("key"), ""))
	} else {
		errs = append(errs, invalidAll(p.Child("key"), key, isConfigMapKey(key))...)
	}
	return errs
}

func validateEnv(vars []EnvVar, ctx *podContext, p *path) errorList {
	var errs errorList
	for i, ev := range vars {
		ip := p.Index(i)
		if ev.Name == "" {
			errs = append(errs, validation.Required(ip.Child("name"), ""))
		} else {
			errs = append(errs, validateEnvVarName(ev.Name, ip.Child("name"))...)
		}
		errs = append(errs, validateEnvVarSource(&ev, ctx, ip.Child("valueFrom"))...)
	}
	return errs
}

func validateEnvVarSource(ev *EnvVar, ctx *podContext, p *path) errorList {
	vf := ev.ValueFrom
	if vf == nil {
		return nil
	}
	var errs errorList
	n := 0
	if vf.FieldRef != nil {
		n++
		errs = append(errs, validateObjectFieldSelector(vf.FieldRef, true, p.Child("fieldRef"))...)
	}
	if vf.ResourceFieldRef != nil {
		n++
		errs = append(errs, validateResourceFieldSelector(vf.ResourceFieldRef, false, p.Child("resourceFieldRef"))...)
	}
	if vf.ConfigMapKeyRef != nil {
		n++
		errs = append(errs, validateKeySelector(vf.ConfigMapKeyRef.Name, vf.ConfigMapKeyRef.Key, p.Child("configMapKeyRef"))...)
	}
	if vf.SecretKeyRef != nil {
		n++
		errs = append(errs, validateKeySelector(vf.SecretKeyRef.Name, vf.SecretKeyRef.Key, p.Child("secretKeyRef"))...)
	}
	if f := vf.FileKeyRef; f != nil {
		n++
		fp := p.Child("fileKeyRef")
		if f.VolumeName == "" {
			errs = append(errs, validation.Required(fp.Child("volumeName"), ""))
		} else if v := ctx.volume(f.VolumeName); v == nil {
			errs = append(errs, validation.NotFound(fp.Child("volumeName"), f.VolumeName))
		} else if v.EmptyDir == nil {
			errs = append(errs, validation.Invalid(fp.Child("volumeName"), f.VolumeName, "referenced volume must be an emptyDir"))
		}
		if f.Path == "" {
			errs = append(errs, validation.Required(fp.Child("path"), ""))
		} else {
			errs = append(errs, validateLocalDescendingPath(f.Path, fp.Child("path"))...)
		}
		if f.Key == "" {
			errs = append(errs, validation.Required(fp.Child("key"), ""))
		} else {
			errs = append(errs, validateEnvVarName(f.Key, fp.Child("key"))...)
		}
	}
	switch {
	case n == 0:
		errs = append(errs, validation.Invalid(p, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef`, `secretKeyRef` or `fileKeyRef`"))
	case ev.Value != "":
		errs = append(errs, validation.Invalid(p, "", "may not be specified when `value` is not empty"))
	case n > 1:
		errs = append(errs, validation.Invalid(p, "", "may not have more than one field specified at a time"))
	}
	return errs
}

func validateEnvFrom(sources []EnvFromSource, p *path) errorList {
	var errs errorList
	for i, s := range sources {
		ip := p.Index(i)
		if s.Prefix != "" {
			errs = append(errs, validateEnvVarName(s.Prefix, ip.Child("prefix"))...)
		}
		n := 0
		for _, src := range [...]struct {
			field string
			ref   *LocalObjectReference
		}{{"configMapRef", refOf(s.ConfigMapRef)}, {"secretRef", refOfSecret(s.SecretRef)}} {
			if src.ref == nil {
				continue
			}
			n++
			np := ip.Child(src.field).Child("name")
			if src.ref.Name == "" {
				errs = append(errs, validation.Required(np, ""))
			} else {
				errs = append(errs, validateDNSSubdomain(src.ref.Name, np)...)
			}
		}
		switch {
		case n == 0:
			errs = append(errs, validation.Invalid(ip, "", "must specify one of: `configMapRef` or `secretRef`"))
		case n > 1:
			errs = append(errs, validation.Invalid(ip, "", "may not have more than one field specified at a time"))
		}
	}
	return sortErrors(errs)
}

func refOf(s *ConfigMapEnvSource) *LocalObjectReference {
	if s == nil {
		return nil
	}
	return &s.LocalObjectReference
}

func refOfSecret(s *SecretEnvSource) *LocalObjectReference {
	if s == nil {
		return nil
	}
	return &s.LocalObjectReference
}

// sortErrors orders errors by field path, indexes numerically (so env[2] comes before
// env[10]), for a stable order where errors come from iterating over maps.
func sortErrors(errs errorList) errorList {
	slices.SortStableFunc(errs, func(a, b *validation.Error) int { return comparePaths(a.Field, b.Field) })
	return errs
}

// comparePaths compares field paths, treating runs of digits as numbers.
func comparePaths(a, b string) int {
	for a != "" && b != "" {
		da, db := digitPrefix(a), digitPrefix(b)
		if da != "" && db != "" {
			if c := compareNumbers(da, db); c != 0 {
				return c
			}
			a, b = a[len(da):], b[len(db):]
			continue
		}
		if a[0] != b[0] {
			return int(a[0]) - int(b[0])
		}
		a, b = a[1:], b[1:]
	}
	return len(a) - len(b)
}

func digitPrefix(s string) string {
	i := 0
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	return s[:i]
}

// compareNumbers compares two decimal digit strings by value.
func compareNumbers(a, b string) int {
	a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

func validateVolumeMounts(mounts []VolumeMount, devices []VolumeDevice, ctx *podContext, p *path) errorList {
	var errs errorList
	var mountPaths, mountNames nameSet
	for i, m := range mounts {
		ip := p.Child("volumeMounts").Index(i)
		if m.Name == "" {
			errs = append(errs, validation.Required(ip.Child("name"), ""))
		} else if ctx.volume(m.Name) == nil {
			errs = append(errs, validation.NotFound(ip.Child("name"), m.Name))
		}
		mountNames.add(m.Name)
		if m.MountPath == "" {
			errs = append(errs, validation.Required(ip.Child("mountPath"), ""))
		} else if mountPaths.has(m.MountPath) {
			errs = append(errs, validation.Invalid(ip.Child("mountPath"), m.MountPath, "must be unique"))
		}
		mountPaths.add(m.MountPath)
		if m.SubPath != "" {
			errs = append(errs, validateLocalDescendingPath(m.SubPath, ip.Child("subPath"))...)
		}
		if m.SubPathExpr != "" {
			if m.SubPath != "" {
				errs = append(errs, validation.Invalid(ip.Child("subPathExpr"), m.SubPathExpr, "subPathExpr and subPath are mutually exclusive"))
			}
			errs = append(errs, validateLocalDescendingPath(m.SubPathExpr, ip.Child("subPathExpr"))...)
		}
		errs = append(errs, optionalEnum(m.MountPropagation, ip.Child("mountPropagation"),
			MountPropagationNone, MountPropagationHostToContainer, MountPropagationBidirectional)...)
		errs = append(errs, optionalEnum(m.RecursiveReadOnly, ip.Child("recursiveReadOnly"),
			RecursiveReadOnlyDisabled, RecursiveReadOnlyIfPossible, RecursiveReadOnlyEnabled)...)
		if m.RecursiveReadOnly != nil && *m.RecursiveReadOnly != RecursiveReadOnlyDisabled && !m.ReadOnly {
			errs = append(errs, validation.Forbidden(ip.Child("recursiveReadOnly"), "may only be specified when readOnly is true"))
		}
	}
	var devicePaths nameSet
	for i, d := range devices {
		ip := p.Child("volumeDevices").Index(i)
		if d.Name == "" {
			errs = append(errs, validation.Required(ip.Child("name"), ""))
		} else if v := ctx.volume(d.Name); v == nil {
			errs = append(errs, validation.NotFound(ip.Child("name"), d.Name))
		} else if v.PersistentVolumeClaim == nil && v.Ephemeral == nil {
			errs = append(errs, validation.Invalid(ip.Child("name"), d.Name, "can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode"))
		} else if mountNames.has(d.Name) {
			errs = append(errs, validation.Invalid(ip.Child("name"), d.Name, "must not already exist in volumeMounts"))
		}
		switch {
		case d.DevicePath == "":
			errs = append(errs, validation.Required(ip.Child("devicePath"), ""))
		case devicePaths.has(d.DevicePath):
			errs = append(errs, validation.Invalid(ip.Child("devicePath"), d.DevicePath, "must be unique"))
		case mountPaths.has(d.DevicePath):
			errs = append(errs, validation.Invalid(ip.Child("devicePath"), d.DevicePath, "must not already exist as a path in volumeMounts"))
		case slices.Contains(strings.Split(d.DevicePath, "/"), ".."):
			errs = append(errs, validation.Invalid(ip.Child("devicePath"), d.DevicePath, "must not contain '..'"))
		}
		devicePaths.add(d.DevicePath)
	}
	return errs
}

func validateResizePolicy(policies []ContainerResizePolicy, p *path) errorList {
	var errs errorList
	var seen nameSet
	for i, rp := range policies {
		ip := p.Index(i)
		errs = append(errs, requiredEnum(rp.ResourceName, ip.Child("resourceName"), ResourceCPU, ResourceMemory)...)
		if seen.has(string(rp.ResourceName)) {
			errs = append(errs, validation.Duplicate(ip.Child("resourceName"), string(rp.ResourceName)))
		}
		seen.add(string(rp.ResourceName))
		errs = append(errs, requiredEnum(rp.RestartPolicy, ip.Child("restartPolicy"), NotRequired, RestartContainer)...)
	}
	return errs
}

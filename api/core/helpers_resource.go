package core

// PodRequests returns the resources the scheduler reserves for a pod, Kubernetes' "effective
// request" (../shared/spec/pod-lifecycle.md §10): the larger, per resource, of
//   - the sum over regular containers and sidecars, and
//   - for each regular init container, its request plus those of the sidecars started before
//     it,
//
// plus spec.overhead. When spec.resources sets a pod-level request for cpu or memory, it
// replaces the computed amount for that resource. The result is a new list.
func PodRequests(pod *Pod) ResourceList {
	spec := &pod.Spec
	reqs := ResourceList{}
	for i := range spec.Containers {
		addResources(reqs, spec.Containers[i].Resources.Requests)
	}
	sidecars := ResourceList{}
	initPeak := ResourceList{}
	for i := range spec.InitContainers {
		c := &spec.InitContainers[i]
		if IsRestartableInitContainer(c) {
			// A sidecar runs beside the app containers and every later init container.
			addResources(reqs, c.Resources.Requests)
			addResources(sidecars, c.Resources.Requests)
			maxResources(initPeak, sidecars)
			continue
		}
		step := ResourceList{}
		addResources(step, c.Resources.Requests)
		addResources(step, sidecars)
		maxResources(initPeak, step)
	}
	maxResources(reqs, initPeak)
	if spec.Resources != nil {
		for _, name := range []ResourceName{ResourceCPU, ResourceMemory} {
			if q, ok := spec.Resources.Requests[name]; ok {
				reqs[name] = q
			}
		}
	}
	addResources(reqs, spec.Overhead)
	return reqs
}

// addResources adds every amount of src to dst.
func addResources(dst, src ResourceList) {
	for name, q := range src {
		v, ok := dst[name]
		if !ok {
			dst[name] = q
			continue
		}
		v.Add(q)
		dst[name] = v
	}
}

// maxResources raises every amount of dst to at least that of src.
func maxResources(dst, src ResourceList) {
	for name, q := range src {
		if v, ok := dst[name]; !ok || q.Cmp(v) > 0 {
			dst[name] = q
		}
	}
}

// ComputePodQOS returns the pod's quality of service class from the cpu and memory requests
// and limits of its containers (or of the pod, when spec.resources sets any), as Kubernetes
// computes it: BestEffort when none is set; Guaranteed when every container limits both cpu
// and memory and the summed requests equal the summed limits; Burstable otherwise.
func ComputePodQOS(pod *Pod) PodQOSClass {
	qosResources := []ResourceName{ResourceCPU, ResourceMemory}
	requests, limits := ResourceList{}, ResourceList{}
	guaranteed := true
	consider := func(r *ResourceRequirements) {
		for _, name := range qosResources {
			if q, ok := r.Requests[name]; ok && q.Sign() > 0 {
				addResources(requests, ResourceList{name: q})
			}
		}
		found := 0
		for _, name := range qosResources {
			if q, ok := r.Limits[name]; ok && q.Sign() > 0 {
				addResources(limits, ResourceList{name: q})
				found++
			}
		}
		if found != len(qosResources) {
			guaranteed = false
		}
	}
	if r := pod.Spec.Resources; r != nil && (len(r.Requests) > 0 || len(r.Limits) > 0) {
		consider(r)
	} else {
		for i := range pod.Spec.InitContainers {
			consider(&pod.Spec.InitContainers[i].Resources)
		}
		for i := range pod.Spec.Containers {
			consider(&pod.Spec.Containers[i].Resources)
		}
	}
	if len(requests) == 0 && len(limits) == 0 {
		return PodQOSBestEffort
	}
	if guaranteed {
		for name, req := range requests {
			if lim, ok := limits[name]; !ok || lim.Cmp(req) != 0 {
				guaranteed = false
			}
		}
	}
	if guaranteed && len(requests) == len(limits) {
		return PodQOSGuaranteed
	}
	return PodQOSBurstable
}

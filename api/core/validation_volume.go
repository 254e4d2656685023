package core

import (
	pathpkg "path"
	"slices"
	"strings"

	"github.com/skiff-dev/skiff/api/validation"
	"github.com/skiff-dev/skiff/labels"
)

// validateVolumes checks the pod's volumes: unique DNS-label names, exactly one source each,
// the source's own rules.
func validateVolumes(volumes []Volume, isPod bool, p *path) errorList {
	var errs errorList
	var names nameSet
	for i := range volumes {
		v := &volumes[i]
		ip := p.Index(i)
		switch {
		case v.Name == "":
			errs = append(errs, validation.Required(ip.Child("name"), ""))
		case names.has(v.Name):
			errs = append(errs, validation.Duplicate(ip.Child("name"), v.Name))
		default:
			errs = append(errs, validateDNSLabel(v.Name, ip.Child("name"))...)
		}
		errs = append(errs, validateVolumeSource(&v.VolumeSource, isPod, ip)...)
		if v.Name != "" {
			names.add(v.Name)
		}
	}
	return errs
}

// validateVolumeSource requires exactly one source and checks it: the first source set, in
// the order below, is validated; any further one is Forbidden.
func validateVolumeSource(s *VolumeSource, isPod bool, p *path) errorList {
	var errs errorList
	n := 0
	for _, src := range [...]struct {
		field string
		set   bool
	}{
		{"hostPath", s.HostPath != nil},
		{"emptyDir", s.EmptyDir != nil},
		{"secret", s.Secret != nil},
		{"configMap", s.ConfigMap != nil},
		{"persistentVolumeClaim", s.PersistentVolumeClaim != nil},
		{"projected", s.Projected != nil},
		{"downwardAPI", s.DownwardAPI != nil},
		{"nfs", s.NFS != nil},
		{"csi", s.CSI != nil},
		{"ephemeral", s.Ephemeral != nil},
		{"image", s.Image != nil},
		// The in-tree network and cloud sources.
		{"gcePersistentDisk", s.GCEPersistentDisk != nil},
		{"awsElasticBlockStore", s.AWSElasticBlockStore != nil},
		{"gitRepo", s.GitRepo != nil},
		{"iscsi", s.ISCSI != nil},
		{"glusterfs", s.Glusterfs != nil},
		{"rbd", s.RBD != nil},
		{"flexVolume", s.FlexVolume != nil},
		{"cinder", s.Cinder != nil},
		{"cephfs", s.CephFS != nil},
		{"flocker", s.Flocker != nil},
		{"fc", s.FC != nil},
		{"azureFile", s.AzureFile != nil},
		{"vsphereVolume", s.VsphereVolume != nil},
		{"quobyte", s.Quobyte != nil},
		{"azureDisk", s.AzureDisk != nil},
		{"photonPersistentDisk", s.PhotonPersistentDisk != nil},
		{"portworxVolume", s.PortworxVolume != nil},
		{"scaleIO", s.ScaleIO != nil},
		{"storageos", s.StorageOS != nil},
	} {
		if !src.set {
			continue
		}
		n++
		if n > 1 {
			errs = append(errs, validation.Forbidden(p.Child(src.field), "may not specify more than 1 volume type"))
			continue
		}
		errs = append(errs, validateVolumeSourceField(s, src.field, isPod, p.Child(src.field))...)
	}
	if n == 0 {
		errs = append(errs, validation.Required(p, "must specify a volume type"))
	}
	return errs
}

// validateVolumeSourceField checks the source of s named field, which is set, at fp.
func validateVolumeSourceField(s *VolumeSource, field string, isPod bool, fp *path) errorList {
	switch field {
	case "hostPath":
		return validateHostPath(s.HostPath, fp)
	case "emptyDir":
		return validateEmptyDir(s.EmptyDir, fp)
	case "secret":
		errs := requiredName(s.Secret.SecretName, fp.Child("secretName"))
		errs = append(errs, validateMode(s.Secret.DefaultMode, fp.Child("defaultMode"))...)
		return append(errs, validateKeyToPaths(s.Secret.Items, fp.Child("items"))...)
	case "configMap":
		errs := requiredName(s.ConfigMap.Name, fp.Child("name"))
		errs = append(errs, validateMode(s.ConfigMap.DefaultMode, fp.Child("defaultMode"))...)
		return append(errs, validateKeyToPaths(s.ConfigMap.Items, fp.Child("items"))...)
	case "persistentVolumeClaim":
		return requiredName(s.PersistentVolumeClaim.ClaimName, fp.Child("claimName"))
	case "projected":
		return validateProjected(s.Projected, fp)
	case "downwardAPI":
		errs := validateMode(s.DownwardAPI.DefaultMode, fp.Child("defaultMode"))
		return append(errs, validateDownwardAPIFiles(s.DownwardAPI.Items, fp.Child("items"))...)
	case "nfs":
		errs := requiredString(s.NFS.Server, fp.Child("server"))
		if s.NFS.Path == "" {
			return append(errs, validation.Required(fp.Child("path"), ""))
		}
		if !strings.HasPrefix(s.NFS.Path, "/") {
			errs = append(errs, validation.Invalid(fp.Child("path"), s.NFS.Path, "must be an absolute path"))
		}
		return errs
	case "csi":
		if s.CSI.Driver == "" {
			return errorList{validation.Required(fp.Child("driver"), "")}
		}
		return validateCSIDriverName(s.CSI.Driver, fp.Child("driver"))
	case "ephemeral":
		t := s.Ephemeral.VolumeClaimTemplate
		if t == nil {
			return errorList{validation.Required(fp.Child("volumeClaimTemplate"), "")}
		}
		tp := fp.Child("volumeClaimTemplate")
		errs := validateLabelMap(t.Labels, tp.Child("metadata", "labels"))
		errs = append(errs, validation.ValidateAnnotations(t.Annotations, tp.Child("metadata", "annotations"))...)
		return append(errs, ValidatePVCSpec(&t.Spec, tp.Child("spec"))...)
	case "image":
		var errs errorList
		if isPod && s.Image.Reference == "" {
			errs = append(errs, validation.Required(fp.Child("reference"), ""))
		}
		return append(errs, requiredEnum(s.Image.PullPolicy, fp.Child("pullPolicy"), PullAlways, PullIfNotPresent, PullNever)...)
	}
	// An in-tree network or cloud source: its required fields.
	fields := legacyRequiredFields(s, field)
	var errs errorList
	for _, k := range sortedKeys(fields) {
		errs = append(errs, requiredString(fields[k], fp.Child(k))...)
	}
	return errs
}

func requiredString(v string, p *path) errorList {
	if v == "" {
		return errorList{validation.Required(p, "")}
	}
	return nil
}

// requiredName checks a required name of an object in the same namespace.
func requiredName(name string, p *path) errorList {
	if name == "" {
		return errorList{validation.Required(p, "")}
	}
	return validateDNSSubdomain(name, p)
}

var hostPathTypes = []HostPathType{HostPathUnset, HostPathDirectoryOrCreate, HostPathDirectory,
	HostPathFileOrCreate, HostPathFile, HostPathSocket, HostPathCharDev, HostPathBlockDev}

func validateHostPath(h *HostPathVolumeSource, p *path) errorList {
	if h.Path == "" {
		return errorList{validation.Required(p.Child("path"), "")}
	}
	errs := optionalEnum(h.Type, p.Child("type"), hostPathTypes...)
	for _, part := range strings.Split(h.Path, "/") {
		if part == ".." {
			errs = append(errs, validation.Invalid(p.Child("path"), h.Path, "must not contain '..'"))
			break
		}
	}
	return errs
}

func validateEmptyDir(e *EmptyDirVolumeSource, p *path) errorList {
	var errs errorList
	switch {
	case e.Medium == StorageMediumDefault, e.Medium == StorageMediumMemory, e.Medium == StorageMediumHugePages:
	case strings.HasPrefix(string(e.Medium), string(StorageMediumHugePages)+"-"):
	default:
		errs = append(errs, notSupported(p.Child("medium"), e.Medium, StorageMediumDefault, StorageMediumMemory, StorageMediumHugePages))
	}
	if e.SizeLimit != nil && e.SizeLimit.Sign() < 0 {
		errs = append(errs, validation.Invalid(p.Child("sizeLimit"), e.SizeLimit.String(), "must be greater than or equal to 0"))
	}
	return errs
}

// validateMode checks a file mode: 0 to 0777.
func validateMode(mode *int32, p *path) errorList {
	if mode != nil && (*mode < 0 || *mode > 0o777) {
		return errorList{validation.Invalid(p, *mode, "must be a number between 0 and 0777 (octal), both inclusive")}
	}
	return nil
}

func validateKeyToPaths(items []KeyToPath, p *path) errorList {
	var errs errorList
	for i, it := range items {
		ip := p.Index(i)
		if it.Key == "" {
			errs = append(errs, validation.Required(ip.Child("key"), ""))
		}
		if it.Path == "" {
			errs = append(errs, validation.Required(ip.Child("path"), ""))
		} else {
			errs = append(errs, validateLocalNonReservedPath(it.Path, ip.Child("path"))...)
		}
		errs = append(errs, validateMode(it.Mode, ip.Child("mode"))...)
	}
	return errs
}

func validateDownwardAPIFiles(items []DownwardAPIVolumeFile, p *path) errorList {
	var errs errorList
	for i, f := range items {
		ip := p.Index(i)
		if f.Path == "" {
			errs = append(errs, validation.Required(ip.Child("path"), ""))
		} else {
			errs = append(errs, validateLocalNonReservedPath(f.Path, ip.Child("path"))...)
		}
		errs = append(errs, validateMode(f.Mode, ip.Child("mode"))...)
		switch {
		case f.FieldRef != nil && f.ResourceFieldRef != nil:
			errs = append(errs, validation.Invalid(ip, "resource", "fieldRef and resourceFieldRef can not be specified simultaneously"))
		case f.FieldRef != nil:
			errs = append(errs, validateObjectFieldSelector(f.FieldRef, false, ip.Child("fieldRef"))...)
		case f.ResourceFieldRef != nil:
			errs = append(errs, validateResourceFieldSelector(f.ResourceFieldRef, true, ip.Child("resourceFieldRef"))...)
		default:
			errs = append(errs, validation.Required(ip, "one of fieldRef and resourceFieldRef is required"))
		}
	}
	return errs
}

// validateProjected checks a projected volume: each source has exactly one projection, and
// no two files share a path.
func validateProjected(pv *ProjectedVolumeSource, p *path) errorList {
	errs := validateMode(pv.DefaultMode, p.Child("defaultMode"))
	paths := map[string]bool{}
	addPath := func(file string, fp *path) {
		file = pathpkg.Clean(file)
		if paths[file] {
			errs = append(errs, validation.Invalid(fp, file, "conflicting duplicate paths"))
		}
		paths[file] = true
	}
	for i, src := range pv.Sources {
		sp := p.Child("sources").Index(i)
		n := 0
		count := func(field string, set bool) bool {
			if set {
				n++
				if n > 1 {
					errs = append(errs, validation.Forbidden(sp.Child(field), "may not specify more than 1 volume type per source"))
				}
			}
			return set
		}
		if count("secret", src.Secret != nil) {
			errs = append(errs, requiredName(src.Secret.Name, sp.Child("secret", "name"))...)
			errs = append(errs, validateKeyToPaths(src.Secret.Items, sp.Child("secret", "items"))...)
			for j, it := range src.Secret.Items {
				addPath(it.Path, sp.Child("secret", "items").Index(j).Child("path"))
			}
		}
		if count("configMap", src.ConfigMap != nil) {
			errs = append(errs, requiredName(src.ConfigMap.Name, sp.Child("configMap", "name"))...)
			errs = append(errs, validateKeyToPaths(src.ConfigMap.Items, sp.Child("configMap", "items"))...)
			for j, it := range src.ConfigMap.Items {
				addPath(it.Path, sp.Child("configMap", "items").Index(j).Child("path"))
			}
		}
		if count("downwardAPI", src.DownwardAPI != nil) {
			errs = append(errs, validateDownwardAPIFiles(src.DownwardAPI.Items, sp.Child("downwardAPI", "items"))...)
			for j, it := range src.DownwardAPI.Items {
				addPath(it.Path, sp.Child("downwardAPI", "items").Index(j).Child("path"))
			}
		}
		if count("serviceAccountToken", src.ServiceAccountToken != nil) {
			t := src.ServiceAccountToken
			tp := sp.Child("serviceAccountToken")
			if e := t.ExpirationSeconds; e != nil {
				if *e < 600 {
					errs = append(errs, validation.Invalid(tp.Child("expirationSeconds"), *e, "may not specify a duration less than 10 minutes"))
				} else if *e > 1<<32 {
					errs = append(errs, validation.Invalid(tp.Child("expirationSeconds"), *e, "may not specify a duration larger than 2^32 seconds"))
				}
			}
			errs = append(errs, validateProjectedPath(t.Path, tp.Child("path"))...)
			addPath(t.Path, tp.Child("path"))
		}
		if count("clusterTrustBundle", src.ClusterTrustBundle != nil) {
			b := src.ClusterTrustBundle
			bp := sp.Child("clusterTrustBundle")
			if (b.Name != nil) == (b.SignerName != nil) {
				errs = append(errs, validation.Invalid(bp, "", "must specify exactly one of name and signerName"))
			}
			if b.Name != nil && b.LabelSelector != nil {
				errs = append(errs, validation.Invalid(bp.Child("labelSelector"), "", "labelSelector may only be used with signerName"))
			}
			errs = append(errs, labels.ValidateLabelSelector(b.LabelSelector, bp.Child("labelSelector"))...)
			errs = append(errs, validateProjectedPath(b.Path, bp.Child("path"))...)
			addPath(b.Path, bp.Child("path"))
		}
		if count("podCertificate", src.PodCertificate != nil) {
			c := src.PodCertificate
			cp := sp.Child("podCertificate")
			errs = append(errs, requiredString(c.SignerName, cp.Child("signerName"))...)
			errs = append(errs, requiredString(c.KeyType, cp.Child("keyType"))...)
			for _, f := range [...]struct{ field, file string }{{"credentialBundlePath", c.CredentialBundlePath},
				{"keyPath", c.KeyPath}, {"certificateChainPath", c.CertificateChainPath}} {
				if f.file != "" {
					errs = append(errs, validateLocalNonReservedPath(f.file, cp.Child(f.field))...)
				}
			}
		}
		if n == 0 {
			errs = append(errs, validation.Required(sp, "must specify exactly one volume projection"))
		}
	}
	return sortErrors(errs)
}

func validateProjectedPath(file string, p *path) errorList {
	if file == "" {
		return errorList{validation.Required(p, "")}
	}
	return validateLocalNonReservedPath(file, p)
}

// validateCSIDriverName checks a CSI driver name: at most 63 characters, alphanumerics with
// '-', '_' and '.' inside.
func validateCSIDriverName(name string, p *path) errorList {
	if len(name) > 63 {
		return errorList{validation.TooLong(p, name, 63)}
	}
	return invalidAll(p, name, validation.IsDNS1123Subdomain(strings.ToLower(name)))
}

// legacyRequiredFields returns the required fields of the in-tree network or cloud source of s
// named field, which is set, with their values.
func legacyRequiredFields(s *VolumeSource, field string) map[string]string {
	switch field {
	case "gcePersistentDisk":
		return map[string]string{"pdName": s.GCEPersistentDisk.PDName}
	case "awsElasticBlockStore":
		return map[string]string{"volumeID": s.AWSElasticBlockStore.VolumeID}
	case "gitRepo":
		return map[string]string{"repository": s.GitRepo.Repository}
	case "iscsi":
		return map[string]string{"targetPortal": s.ISCSI.TargetPortal, "iqn": s.ISCSI.IQN}
	case "glusterfs":
		return map[string]string{"endpoints": s.Glusterfs.EndpointsName, "path": s.Glusterfs.Path}
	case "rbd":
		return map[string]string{"monitors": strings.Join(s.RBD.CephMonitors, ","), "image": s.RBD.RBDImage}
	case "flexVolume":
		return map[string]string{"driver": s.FlexVolume.Driver}
	case "cinder":
		return map[string]string{"volumeID": s.Cinder.VolumeID}
	case "cephfs":
		return map[string]string{"monitors": strings.Join(s.CephFS.Monitors, ",")}
	case "flocker":
		return map[string]string{"datasetName": s.Flocker.DatasetName + s.Flocker.DatasetUUID}
	case "fc":
		return map[string]string{"targetWWNs": strings.Join(slices.Concat(s.FC.TargetWWNs, s.FC.WWIDs), ",")}
	case "azureFile":
		return map[string]string{"secretName": s.AzureFile.SecretName, "shareName": s.AzureFile.ShareName}
	case "vsphereVolume":
		return map[string]string{"volumePath": s.VsphereVolume.VolumePath}
	case "quobyte":
		return map[string]string{"registry": s.Quobyte.Registry, "volume": s.Quobyte.Volume}
	case "azureDisk":
		return map[string]string{"diskName": s.AzureDisk.DiskName, "diskURI": s.AzureDisk.DataDiskURI}
	case "photonPersistentDisk":
		return map[string]string{"pdID": s.PhotonPersistentDisk.PdID}
	case "portworxVolume":
		return map[string]string{"volumeID": s.PortworxVolume.VolumeID}
	case "scaleIO":
		secret := ""
		if s.ScaleIO.SecretRef != nil {
			secret = s.ScaleIO.SecretRef.Name
		}
		return map[string]string{"gateway": s.ScaleIO.Gateway, "system": s.ScaleIO.System, "secretRef": secret}
	case "storageos":
		return map[string]string{"volumeName": s.StorageOS.VolumeName}
	}
	return nil
}

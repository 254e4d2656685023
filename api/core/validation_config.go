package core

import (
	"encoding/json"

	"github.com/skiff-dev/skiff/api/validation"
)

// MaxConfigMapSize is the most bytes a config map's data and binaryData may hold together
// (keys are not counted), as for secrets.
const MaxConfigMapSize = MaxSecretSize

const immutableMessage = "field is immutable when `immutable` is set"

// ValidateConfigMap checks a config map: metadata (namespaced, DNS-subdomain name), keys
// (alphanumerics, '-', '_', '.'; not repeated between data and binaryData) and a total size of
// at most 1 MiB.
func ValidateConfigMap(cm *ConfigMap) validation.ErrorList {
	errs := validation.ValidateObjectMeta(&cm.ObjectMeta, true, validation.NameIsDNSSubdomain, validation.NewPath("metadata"))
	return append(errs, validateConfigMapData(cm)...)
}

func validateConfigMapData(cm *ConfigMap) errorList {
	var errs errorList
	size := 0
	var buf [16]string
	for _, k := range appendSortedKeys(buf[:0], cm.Data) {
		errs = append(errs, invalidAll(validation.NewPath("data").Key(k), k, isConfigMapKey(k))...)
		size += len(cm.Data[k])
	}
	for _, k := range appendSortedKeys(buf[:0], cm.BinaryData) {
		errs = append(errs, invalidAll(validation.NewPath("binaryData").Key(k), k, isConfigMapKey(k))...)
		if _, dup := cm.Data[k]; dup {
			errs = append(errs, validation.Invalid(validation.NewPath("binaryData").Key(k), k, "duplicate of key present in data"))
		}
		size += len(cm.BinaryData[k])
	}
	if size > MaxConfigMapSize {
		errs = append(errs, validation.TooLong(validation.NewPath(""), nil, MaxConfigMapSize))
	}
	return errs
}

// ValidateConfigMapUpdate checks an update of a config map: everything ValidateConfigMap
// checks, and once immutable is true, neither the data nor the flag may change.
func ValidateConfigMapUpdate(newCM, oldCM *ConfigMap) validation.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&newCM.ObjectMeta, &oldCM.ObjectMeta, true,
		validation.NameIsDNSSubdomain, validation.NewPath("metadata"))
	errs = append(errs, validateConfigMapData(newCM)...)
	if isTrue(oldCM.Immutable) {
		if !isTrue(newCM.Immutable) {
			errs = append(errs, validation.Forbidden(validation.NewPath("immutable"), immutableMessage))
		}
		if len(semanticDiff(newCM.Data, oldCM.Data, "", 1)) > 0 {
			errs = append(errs, validation.Forbidden(validation.NewPath("data"), immutableMessage))
		}
		if len(semanticDiff(newCM.BinaryData, oldCM.BinaryData, "", 1)) > 0 {
			errs = append(errs, validation.Forbidden(validation.NewPath("binaryData"), immutableMessage))
		}
	}
	return errs
}

func isTrue(b *bool) bool { return b != nil && *b }

// ValidateSecret checks a secret: metadata, keys, a total size of at most 1 MiB, and the keys
// and annotations its type requires (see the SecretType constants).
func ValidateSecret(s *Secret) validation.ErrorList {
	errs := validation.ValidateObjectMeta(&s.ObjectMeta, true, validation.NameIsDNSSubdomain, validation.NewPath("metadata"))
	return append(errs, validateSecretData(s)...)
}

func validateSecretData(s *Secret) errorList {
	var errs errorList
	dataPath := validation.NewPath("data")
	size := 0
	for _, k := range sortedKeys(s.Data) {
		errs = append(errs, invalidAll(dataPath.Key(k), k, isConfigMapKey(k))...)
		size += len(s.Data[k])
	}
	if size > MaxSecretSize {
		errs = append(errs, validation.TooLong(dataPath, nil, MaxSecretSize))
	}
	has := func(k string) bool { _, ok := s.Data[k]; return ok }
	requireKey := func(k string) {
		if !has(k) {
			errs = append(errs, validation.Required(dataPath.Key(k), ""))
		}
	}
	requireJSON := func(k string) {
		if !has(k) {
			errs = append(errs, validation.Required(dataPath.Key(k), ""))
			return
		}
		var v map[string]any
		if err := json.Unmarshal(s.Data[k], &v); err != nil {
			errs = append(errs, validation.Invalid(dataPath.Key(k), "<secret contents redacted>", err.Error()))
		}
	}
	switch s.Type {
	case SecretTypeServiceAccountToken:
		if s.Annotations[ServiceAccountNameKey] == "" {
			errs = append(errs, validation.Required(validation.NewPath("metadata", "annotations").Key(ServiceAccountNameKey), ""))
		}
	case SecretTypeOpaque, "":
	case SecretTypeDockercfg:
		requireJSON(DockerConfigKey)
	case SecretTypeDockerConfigJSON:
		requireJSON(DockerConfigJSONKey)
	case SecretTypeBasicAuth:
		if !has(BasicAuthUsernameKey) && !has(BasicAuthPasswordKey) {
			errs = append(errs, validation.Required(dataPath.Key(BasicAuthUsernameKey), ""),
				validation.Required(dataPath.Key(BasicAuthPasswordKey), ""))
		}
	case SecretTypeSSHAuth:
		if len(s.Data[SSHAuthPrivateKey]) == 0 {
			errs = append(errs, validation.Required(dataPath.Key(SSHAuthPrivateKey), ""))
		}
	case SecretTypeTLS:
		requireKey(TLSCertKey)
		requireKey(TLSPrivateKeyKey)
	default:
		errs = append(errs, validateQualifiedName(string(s.Type), validation.NewPath("type"))...)
	}
	return errs
}

// ValidateSecretUpdate checks an update of a secret: everything ValidateSecret checks, an
// unchanged type, and once immutable is true, neither the data nor the flag may change.
func ValidateSecretUpdate(newS, oldS *Secret) validation.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&newS.ObjectMeta, &oldS.ObjectMeta, true,
		validation.NameIsDNSSubdomain, validation.NewPath("metadata"))
	errs = append(errs, validateSecretData(newS)...)
	if newS.Type != oldS.Type {
		errs = append(errs, validation.Invalid(validation.NewPath("type"), string(newS.Type), "field is immutable"))
	}
	if isTrue(oldS.Immutable) {
		if !isTrue(newS.Immutable) {
			errs = append(errs, validation.Forbidden(validation.NewPath("immutable"), immutableMessage))
		}
		if len(semanticDiff(newS.Data, oldS.Data, "", 1)) > 0 {
			errs = append(errs, validation.Forbidden(validation.NewPath("data"), immutableMessage))
		}
	}
	return errs
}

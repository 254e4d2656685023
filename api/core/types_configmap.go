package core

import "github.com/skiff-dev/skiff/api/meta"

// ConfigMap holds configuration data for pods to consume as environment variables, files or
// command-line arguments.
type ConfigMap struct {
	meta.TypeMeta `json:",inline"`
	// ObjectMeta is the config map's metadata.
	meta.ObjectMeta `json:"metadata,omitzero"`
	// Immutable, once true, forbids changes to Data and BinaryData (and unsetting it).
	Immutable *bool `json:"immutable,omitempty"`
	// Data holds UTF-8 values. Keys consist of alphanumerics, '-', '_' and '.'.
	Data map[string]string `json:"data,omitempty"`
	// BinaryData holds binary values (base64 in JSON); keys may not repeat those of Data.
	BinaryData map[string][]byte `json:"binaryData,omitempty"`
}

// ConfigMapList is a list of config maps.
type ConfigMapList struct {
	meta.TypeMeta `json:",inline"`
	// ListMeta is the list's metadata.
	meta.ListMeta `json:"metadata,omitzero"`
	// Items are the config maps.
	Items []ConfigMap `json:"items"`
}

// Secret holds sensitive data such as passwords, tokens or keys.
type Secret struct {
	meta.TypeMeta `json:",inline"`
	// ObjectMeta is the secret's metadata.
	meta.ObjectMeta `json:"metadata,omitzero"`
	// Immutable, once true, forbids changes to Data (and unsetting it).
	Immutable *bool `json:"immutable,omitempty"`
	// Data holds the secret values (base64 in JSON).
	Data map[string][]byte `json:"data,omitempty"`
	// StringData is a write-only convenience: its entries are merged into Data on write
	// (overriding Data) and it is never returned.
	StringData map[string]string `json:"stringData,omitempty"`
	// Type says what the secret holds and which keys it must have. Defaults to Opaque.
	Type SecretType `json:"type,omitempty"`
}

// SecretList is a list of secrets.
type SecretList struct {
	meta.TypeMeta `json:",inline"`
	// ListMeta is the list's metadata.
	meta.ListMeta `json:"metadata,omitzero"`
	// Items are the secrets.
	Items []Secret `json:"items"`
}

// SecretType says what a secret holds.
type SecretType string

// The secret types and the keys some of them require.
const (
	// SecretTypeOpaque holds arbitrary data.
	SecretTypeOpaque SecretType = "Opaque"
	// SecretTypeServiceAccountToken holds a service account token.
	SecretTypeServiceAccountToken SecretType = "kubernetes.io/service-account-token"
	// SecretTypeDockercfg holds a ~/.dockercfg under ".dockercfg".
	SecretTypeDockercfg SecretType = "kubernetes.io/dockercfg"
	// SecretTypeDockerConfigJSON holds a ~/.docker/config.json under ".dockerconfigjson".
	SecretTypeDockerConfigJSON SecretType = "kubernetes.io/dockerconfigjson"
	// SecretTypeBasicAuth holds "username" and/or "password".
	SecretTypeBasicAuth SecretType = "kubernetes.io/basic-auth"
	// SecretTypeSSHAuth holds "ssh-privatekey".
	SecretTypeSSHAuth SecretType = "kubernetes.io/ssh-auth"
	// SecretTypeTLS holds "tls.crt" and "tls.key".
	SecretTypeTLS SecretType = "kubernetes.io/tls"
	// SecretTypeBootstrapToken holds a bootstrap token.
	SecretTypeBootstrapToken SecretType = "bootstrap.kubernetes.io/token"

	ServiceAccountNameKey  = "kubernetes.io/service-account.name"
	DockerConfigKey        = ".dockercfg"
	DockerConfigJSONKey    = ".dockerconfigjson"
	BasicAuthUsernameKey   = "username"
	BasicAuthPasswordKey   = "password"
	SSHAuthPrivateKey      = "ssh-privatekey"
	TLSCertKey             = "tls.crt"
	TLSPrivateKeyKey       = "tls.key"
	MaxSecretSize          = 1 * 1024 * 1024
	ServiceAccountTokenKey = "token"
	ServiceAccountUIDKey   = "kubernetes.io/service-account.uid"
)

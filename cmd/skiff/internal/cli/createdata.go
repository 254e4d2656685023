package cli

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
)

// dataSources are the flags that fill a config map or secret, as kubectl's
// --from-literal, --from-file and --from-env-file.
type dataSources struct {
	literals []string // KEY=VALUE
	files    []string // [KEY=]PATH, a file or a directory
	envFiles []string // PATH of KEY=VALUE lines
}

func (d *dataSources) add(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringArrayVar(&d.literals, "from-literal", nil, "a KEY=VALUE entry (repeat for several)")
	fl.StringArrayVar(&d.files, "from-file", nil, "a file (its name is the key, or KEY=PATH) or a directory (each regular file in it)")
	fl.StringArrayVar(&d.envFiles, "from-env-file", nil, "a file of KEY=VALUE lines (# comments and blank lines skipped)")
}

// entry is one key and value read from a source.
type entry struct {
	key    string
	value  []byte
	source string // for errors
}

// read returns the entries of every source in order: literals, files, env files. A key
// twice is an error naming it, as in kubectl.
func (d *dataSources) read(kind, name string) ([]entry, error) {
	var out []entry
	seen := map[string]bool{}
	addEntry := func(e entry) error {
		if seen[e.key] {
			return fmt.Errorf("cannot add key %q, another key by that name already exists in %s %q", e.key, kind, name)
		}
		seen[e.key] = true
		out = append(out, e)
		return nil
	}
	for _, l := range d.literals {
		k, v, ok := strings.Cut(l, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("invalid literal source %s, expected key=value", l)
		}
		if err := addEntry(entry{k, []byte(v), "--from-literal=" + l}); err != nil {
			return nil, err
		}
	}
	for _, f := range d.files {
		key, path, hasKey := strings.Cut(f, "=")
		if !hasKey {
			key, path = "", f
		}
		if hasKey && key == "" {
			return nil, fmt.Errorf("key name for file path %s missing", path)
		}
		st, err := os.Stat(path)
		if err != nil {
			return nil, fmt.Errorf("error reading %s: %v", path, err)
		}
		if st.IsDir() {
			if hasKey {
				return nil, fmt.Errorf("cannot give a key name for a directory path")
			}
			ents, err := os.ReadDir(path)
			if err != nil {
				return nil, err
			}
			for _, de := range ents {
				if !de.Type().IsRegular() {
					continue
				}
				p := filepath.Join(path, de.Name())
				data, err := os.ReadFile(p)
				if err != nil {
					return nil, err
				}
				if err := addEntry(entry{de.Name(), data, p}); err != nil {
					return nil, err
				}
			}
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		if !hasKey {
			key = filepath.Base(path)
		}
		if err := addEntry(entry{key, data, path}); err != nil {
			return nil, err
		}
	}
	for _, p := range d.envFiles {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		for n := 1; sc.Scan(); n++ {
			line := strings.TrimSpace(sc.Text())
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			k, v, ok := strings.Cut(line, "=")
			if !ok || strings.TrimSpace(k) == "" {
				return nil, fmt.Errorf("%s line %d: %q is not KEY=VALUE", p, n, line)
			}
			if err := addEntry(entry{strings.TrimSpace(k), []byte(v), fmt.Sprintf("%s:%d", p, n)}); err != nil {
				return nil, err
			}
		}
		if err := sc.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (r *root) createConfigMapCommand() *cobra.Command {
	var src dataSources
	cmd := &cobra.Command{
		Use:     "configmap NAME [--from-literal=KEY=VALUE] [--from-file=[KEY=]PATH] [--from-env-file=PATH]",
		Aliases: []string{"cm"},
		Short:   "Create a config map from literals, files or env files",
		Long: "Create a config map. Values that are valid UTF-8 go to data, others to binaryData; the\n" +
			"server checks the keys (alphanumerics, '-', '_' and '.').",
		Example: "  skiff create configmap settings --from-literal=mode=fast --from-literal=level=3\n" +
			"  skiff create configmap nginx-conf --from-file=nginx.conf --from-file=conf.d/\n" +
			"  skiff create configmap env --from-env-file=app.env",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError(cmd, "NAME is required")
			}
			entries, err := src.read("ConfigMap", args[0])
			if err != nil {
				return err
			}
			cm := &core.ConfigMap{ObjectMeta: meta.ObjectMeta{Name: args[0], Namespace: r.namespace}}
			for _, e := range entries {
				if utf8.Valid(e.value) {
					if cm.Data == nil {
						cm.Data = map[string]string{}
					}
					cm.Data[e.key] = string(e.value)
					continue
				}
				if cm.BinaryData == nil {
					cm.BinaryData = map[string][]byte{}
				}
				cm.BinaryData[e.key] = e.value
			}
			c, err := r.client()
			if err != nil {
				return err
			}
			return r.createObject(cmd, c, cm)
		},
	}
	src.add(cmd)
	return cmd
}

func (r *root) createSecretCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "secret generic NAME [--type=TYPE] [--from-literal=KEY=VALUE] [--from-file=[KEY=]PATH] [--from-env-file=PATH]",
		Short: "Create a secret",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	var src dataSources
	var typ string
	generic := &cobra.Command{
		Use:   "generic NAME [--type=TYPE] [--from-literal=KEY=VALUE] [--from-file=[KEY=]PATH] [--from-env-file=PATH]",
		Short: "Create a secret from literals, files or env files",
		Example: "  skiff create secret generic db-credentials --from-literal=user=app --from-literal=password=s3cret\n" +
			"  skiff create secret generic tls --from-file=tls.crt --from-file=tls.key",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError(cmd, "NAME is required")
			}
			entries, err := src.read("Secret", args[0])
			if err != nil {
				return err
			}
			s := &core.Secret{ObjectMeta: meta.ObjectMeta{Name: args[0], Namespace: r.namespace}, Type: core.SecretType(typ)}
			for _, e := range entries {
				if s.Data == nil {
					s.Data = map[string][]byte{}
				}
				s.Data[e.key] = e.value
			}
			c, err := r.client()
			if err != nil {
				return err
			}
			return r.createObject(cmd, c, s)
		},
	}
	src.add(generic)
	generic.Flags().StringVar(&typ, "type", "", "the secret's type (default Opaque)")
	cmd.AddCommand(generic)
	return cmd
}

package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/cmd/skiff/internal/printers"
	"github.com/skiff-dev/skiff/store"
)

// Version is skiff's version, set at build time with
// -ldflags "-X github.com/skiff-dev/skiff/cmd/skiff/internal/cli.Version=v1.2.3"; without it,
// the module version of the build, else "v0.0.0-dev".
var Version = ""

// clientVersion returns Version or its fallbacks.
func clientVersion() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "v0.0.0-dev"
}

// versionTimeout bounds the request for the server's version.
const versionTimeout = 10 * time.Second

func (r *root) versionCommand() *cobra.Command {
	var clientOnly bool
	cmd := &cobra.Command{
		Use:     "version",
		Short:   "Print the client and server versions",
		Example: "  skiff version\n  skiff version --client",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(r.opts.Out, "Client Version: %s\n", clientVersion())
			if clientOnly {
				return nil
			}
			v, err := r.serverVersion(cmd.Context())
			if err != nil {
				return err
			}
			fmt.Fprintf(r.opts.Out, "Server Version: %s\n", v)
			return nil
		},
	}
	cmd.Flags().BoolVar(&clientOnly, "client", false, "print the client version only, without asking the server")
	return cmd
}

// serverVersion reads gitVersion from the API server's /version.
func (r *root) serverVersion(ctx context.Context) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, versionTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(r.server, "/")+"/version", nil)
	if err != nil {
		return "", err
	}
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	defer hc.CloseIdleConnections()
	resp, err := hc.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		var st meta.Status
		if json.Unmarshal(body, &st) == nil && st.Reason != "" {
			return "", &store.StatusError{Reason: store.Reason(st.Reason), Code: st.Code, Message: st.Message}
		}
		return "", fmt.Errorf("the server answered %s to /version", resp.Status)
	}
	var v struct {
		GitVersion string `json:"gitVersion"`
	}
	if err := json.Unmarshal(body, &v); err != nil {
		return "", fmt.Errorf("reading the server version: %w", err)
	}
	return v.GitVersion, nil
}

func (r *root) apiResourcesCommand() *cobra.Command {
	var output string
	var namespaced string
	cmd := &cobra.Command{
		Use:     "api-resources",
		Short:   "List the resource types skiff serves",
		Example: "  skiff api-resources\n  skiff api-resources --namespaced=false\n  skiff api-resources -o name",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkOutput(output, "", outputName); err != nil {
				return err
			}
			kinds := r.scheme.Kinds()
			sort.SliceStable(kinds, func(i, j int) bool {
				if kinds[i].GVK.Group != kinds[j].GVK.Group {
					return kinds[i].GVK.Group < kinds[j].GVK.Group
				}
				return kinds[i].Plural < kinds[j].Plural
			})
			var rows [][]string
			for _, k := range kinds {
				if (namespaced == "true" && !k.Namespaced) || (namespaced == "false" && k.Namespaced) {
					continue
				}
				if output == outputName {
					name := k.Plural
					if k.GVK.Group != "" {
						name += "." + k.GVK.Group
					}
					fmt.Fprintln(r.opts.Out, name)
					continue
				}
				rows = append(rows, []string{k.Plural, strings.Join(k.ShortNames, ","), k.GVK.APIVersion(),
					fmt.Sprint(k.Namespaced), k.GVK.Kind})
			}
			if output == outputName {
				return nil
			}
			w := printers.NewWriter(r.opts.Out, apiResourcesTable, printers.Options{})
			for _, row := range rows {
				w.WriteCells(row)
			}
			return w.Flush()
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "", "output format: name")
	cmd.Flags().StringVar(&namespaced, "namespaced", "", "true: only namespaced kinds; false: only cluster-scoped kinds")
	return cmd
}

// apiResourcesTable is the table of api-resources: NAME SHORTNAMES APIVERSION NAMESPACED KIND.
var apiResourcesTable = printers.Table{
	Columns:    []printers.Column{{Name: "NAME"}, {Name: "SHORTNAMES"}, {Name: "APIVERSION"}, {Name: "NAMESPACED"}, {Name: "KIND"}},
	NameColumn: 0,
}

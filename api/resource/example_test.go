package resource_test

import (
	"fmt"

	"github.com/skiff-dev/skiff/api/resource"
)

func Example() {
	limit := resource.MustParse("1.5")
	request := resource.MustParse("500m")
	fmt.Println(limit.String(), request.Cmp(limit) < 0)

	mem := resource.MustParse("1Gi")
	mem.Add(resource.MustParse("512Mi"))
	fmt.Println(mem.String(), mem.Value())
	// Output:
	// 1500m true
	// 1536Mi 1610612736
}

func ExampleParseQuantity() {
	for _, s := range []string{"129e6", "129M", "123Mi", "0.5Gi", "1.5Gi", "2x"} {
		q, err := resource.ParseQuantity(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%s -> %s (%s)\n", s, q.String(), q.Format)
	}
	// Output:
	// 129e6 -> 129e6 (DecimalExponent)
	// 129M -> 129M (DecimalSI)
	// 123Mi -> 123Mi (BinarySI)
	// 0.5Gi -> 512Mi (BinarySI)
	// 1.5Gi -> 1536Mi (BinarySI)
	// quantity "2x": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'
}

package deps

import (
	_ "github.com/apache/arrow-go/v18/arrow"
	_ "github.com/duckdb/duckdb-go/v2"
	_ "github.com/parquet-go/parquet-go"
	_ "github.com/robfig/cron/v3"
	_ "gopkg.in/yaml.v3"
)

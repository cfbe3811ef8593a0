// Package transform owns turning source documents into unified tables: the
// deterministic ids, the shared mapping rules (enum text matching, locations,
// e-mail validation, compact JSON), Arrow builders for the unified tables, and
// one sub-package per source with that source's mapping. Change detection
// (changed_at, deletions) is applied where rows meet the previous state, in load.
//
// Shared pieces every source mapper uses:
//   - ID / AppendID: lake ids (AppendID is the allocation-free form).
//   - TableBuilder: rows of one unified table with exactly its Arrow schema
//     (shared columns filled by Begin, typed setters, batches of DefaultBatchRows).
//   - Text rules: EnumKey and Enum (open/closed enum matching), ValidEmail,
//     Country/CountryCode (ISO 3166-1 alpha-2 from codes and English names),
//     ParseTimestamp (ISO 8601 in any offset form, epoch seconds/millis -> UTC µs).
//   - JSON text: AppendJSONString, AppendCompactJSON, Object (sorted keys, no
//     HTML escaping), AppendRemoteData ({"<path template>": part as received}).
//   - JSON spans: EachMember, Member, EachElement, AppendElements find raw
//     parts of a document without decoding it again (for remote_data).
//   - AppendRowsJSON: the stable text form of emitted rows for golden tests.
package transform

using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace Twinrec.ManagementClient.Generator;

/// <summary>
/// Rewrites the OpenAPI 3.1 idioms our document uses into their 3.0 forms, which NSwag 14
/// (NJsonSchema 11) reads: without it, `anyOf: [T, {type: null}]` becomes an empty class that
/// cannot hold a string or a number, and every nullable field fails to deserialize.
/// - `anyOf`/`oneOf` of one schema and `{type: null}` → that schema with `nullable: true`
///   (a `$ref` goes under `allOf`, since 3.0 ignores siblings of `$ref`);
/// - `type: [T, "null"]` → `type: T, nullable: true`;
/// - `const: v` → `enum: [v]`.
/// </summary>
public static class OpenApi31To30
{
    /// <summary>Bound on the depth walked (our schemas nest a dozen levels at most).</summary>
    private const int DepthMax = 64;

    public static void Rewrite(JsonObject document)
    {
        document["openapi"] = "3.0.3";
        Walk(document, 0);
    }

    private static void Walk(JsonNode? node, int depth)
    {
        if (depth > DepthMax || node is null) return;
        if (node is JsonArray array)
        {
            foreach (var item in array) Walk(item, depth + 1);
            return;
        }
        if (node is not JsonObject obj) return;
        RewriteNullableUnion(obj, "anyOf");
        RewriteNullableUnion(obj, "oneOf");
        if (obj["type"] is JsonArray types && types.Count == 2 && types.Any(IsNullName))
        {
            obj["type"] = types.First(t => !IsNullName(t))!.GetValue<string>();
            obj["nullable"] = true;
        }
        if (obj["const"] is { } constant)
        {
            obj.Remove("const");
            obj["enum"] = new JsonArray(constant.DeepClone());
        }
        foreach (var (_, child) in obj.ToList()) Walk(child, depth + 1);
    }

    private static void RewriteNullableUnion(JsonObject obj, string keyword)
    {
        if (obj[keyword] is not JsonArray union || union.Count != 2) return;
        var nonNull = union.Where(s => !IsNullSchema(s)).ToList();
        if (nonNull.Count != 1) return;
        var schema = nonNull[0]!.DeepClone().AsObject();
        obj.Remove(keyword);
        if (schema.ContainsKey("$ref"))
        {
            obj["allOf"] = new JsonArray(schema);
        }
        else
        {
            foreach (var (key, value) in schema.ToList())
            {
                schema.Remove(key);
                if (!obj.ContainsKey(key)) obj[key] = value;
            }
        }
        obj["nullable"] = true;
    }

    private static bool IsNullSchema(JsonNode? schema) => schema is JsonObject o && o.Count == 1 && IsNullName(o["type"]);

    private static bool IsNullName(JsonNode? type) => type is JsonValue v && v.TryGetValue<string>(out var name) && name == "null";
}

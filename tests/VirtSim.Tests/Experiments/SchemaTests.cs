using System.Globalization;
using System.Text.Json.Nodes;
using Json.Schema;
using VirtSim.Experiments.Scenarios;
using YamlDotNet.RepresentationModel;

namespace VirtSim.Tests.Experiments;

/// <summary>
/// The JSON Schemas of scenario and comparison files: generated from the readers (never by hand),
/// named on the first line of every example, which each satisfies; and never stricter than
/// <c>virtsim validate</c>: a hostile file the schema refuses, validate refuses too.
/// </summary>
public class SchemaTests
{
    private static string Docs(string name) => Path.Combine(Repository.Root, "docs", name);

    /// <summary>A YAML file as JSON, as yaml-language-server sees it: plain scalars that read as numbers or booleans are those.</summary>
    internal static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: { } text } when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n) => JsonValue.Create(n),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: { } text } when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && double.IsFinite(x) => JsonValue.Create(x),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "true" or "false" } scalar => JsonValue.Create(scalar.Value == "true"),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value ?? ""),
        _ => null,
    };

    private static bool Valid(string schemaText, string yamlFile, out string errors)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(yamlFile)));
        var instance = System.Text.Json.JsonSerializer.SerializeToElement(ToJson(stream.Documents[0].RootNode));
        var result = JsonSchema.FromText(schemaText).Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        errors = string.Join("; ", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")));
        return result.IsValid;
    }

    [Test]
    public void TheSchemasAreGeneratedFromTheReaders()
    {
        // docs/*.schema.json and the copies built into virtsim are what reading the examples gives:
        // regenerate with `virtsim schema --from scenarios/examples [--comparison] > docs/...` after changing a reader.
        string scenario = ScenarioSchema.Generate(Repository.Examples, comparisons: false);
        string comparison = ScenarioSchema.Generate(Repository.Examples, comparisons: true);
        Assert.That(File.ReadAllText(Docs("scenario.schema.json")), Is.EqualTo(scenario));
        Assert.That(File.ReadAllText(Docs("comparison.schema.json")), Is.EqualTo(comparison));
        Assert.That(ScenarioSchema.Scenario, Is.EqualTo(scenario));
        Assert.That(ScenarioSchema.Comparison, Is.EqualTo(comparison));
        // Keys a reader allows appear even where no example writes them (the readers list them all).
        Assert.That(scenario, Does.Contain("\"precision\"").And.Contain("\"capacity\"").And.Contain("\"discipline\""));
    }

    [Test]
    public void EveryExampleNamesItsSchemaAndSatisfiesIt()
    {
        foreach (string file in Directory.GetFiles(Repository.Examples, "*.yaml"))
        {
            bool comparison = ScenarioLoader.IsComparisonFile(file);
            string schema = comparison ? "comparison.schema.json" : "scenario.schema.json";
            Assert.That(File.ReadLines(file).First(), Is.EqualTo($"# yaml-language-server: $schema=../../docs/{schema}"), file);
            Assert.That(Valid(File.ReadAllText(Docs(schema)), file, out string errors), Is.True, $"{file}: {errors}");
        }
    }

    [Test]
    public void AMisspelledKeyIsCaughtByTheSchemaAsByValidate()
    {
        string file = Path.Combine(Path.GetTempPath(), $"virtsim-schema-{Guid.NewGuid():N}.yaml");
        try
        {
            File.WriteAllText(file, File.ReadAllText(Path.Combine(Repository.Examples, "mm1.yaml")).Replace("  servers: 1", "  severs: 1", StringComparison.Ordinal));
            Assert.That(Valid(ScenarioSchema.Scenario, file, out string errors), Is.False);
            Assert.That(errors, Does.Contain("/station"));
            Assert.That(VirtSim.Tests.Cli.Virtsim.Run("validate", file).Code, Is.EqualTo(2));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void AHostileFileTheSchemaRefusesIsRefusedByValidate()
    {
        int refused = 0;
        foreach (string file in Directory.GetFiles(Path.Combine(Repository.Root, "tests", "VirtSim.Tests", "Hostile"), "*.yaml"))
        {
            string schema;
            bool valid;
            try
            {
                // The readers' own guard first: YAML nested too deep, or swollen by aliases, is not read further.
                YamlSection.LoadRoot(file, File.ReadAllText(file));
                schema = ScenarioLoader.IsComparisonFile(file) ? ScenarioSchema.Comparison : ScenarioSchema.Scenario;
                valid = Valid(schema, file, out _);
            }
            catch (Exception e) when (e is ScenarioException or YamlDotNet.Core.YamlException or InvalidCastException or InvalidOperationException or ArgumentException)
            {
                continue;   // not YAML a schema can read (broken, aliases, odd keys): validate's own business
            }
            if (!valid)
            {
                refused++;
                Assert.That(VirtSim.Tests.Cli.Virtsim.Run("validate", file).Code, Is.EqualTo(2), $"{file}: the schema refuses it, so must validate");
            }
        }
        Assert.That(refused, Is.GreaterThan(0), "the corpus has files the schema refuses");
    }
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace VirtSim.Tests.Experiments;

/// <summary>
/// The teaching labs (notebooks/labs), run in real Jupyter as a student would, their figures
/// held to the keys (notebooks/keys): theory inside the simulated interval, hand computations exactly.
/// </summary>
public partial class NotebookTests
{
    [GeneratedRegex(@"window (\S+) min, (\S+) calls/h: simulated (\S+) ± (\S+), theory (\S+)")]
    private static partial Regex KeepAlivePoint();

    [GeneratedRegex(@"shortest window for under 5% cold at 12/h: (\S+) min \(theory\); simulated at that window: (\S+) ± (\S+)")]
    private static partial Regex KeepAliveAnswer();

    [GeneratedRegex(@"8 GB over 1 Gb/s at 35%: simulated (\S+) s, by hand (\S+) s")]
    private static partial Regex ImageTransfer();

    private static string Text(IEnumerable<Cell> cells) =>
        string.Concat(cells.SelectMany(c => c.Outputs).Where(o => o.Type == "stream" && o.Name == "stdout").Select(o => o.Text));

    private static void NoErrorsAndOnePlot(List<Cell> cells)
    {
        var outputs = cells.SelectMany(c => c.Outputs).ToList();
        Assert.That(outputs.Where(o => o.Type == "error").Select(o => o.Text), Is.Empty, "no cell failed");
        Assert.That(outputs.SelectMany(o => PngData().Matches(o.Html)).Count(), Is.EqualTo(1), "the lab's plot");
    }

    [Test]
    public void TheKeepAliveLabHoldsItsSimulationToTheoryAndItsKey()
    {
        var cells = Execute(Path.Combine("labs", "keep-alive.ipynb"));
        NoErrorsAndOnePlot(cells);
        string text = Text(cells);
        var points = KeepAlivePoint().Matches(text).ToList();
        Assert.That(points, Has.Count.EqualTo(15), text);
        foreach (Match point in points)
        {
            double minutes = Number(point.Groups[1].Value), perHour = Number(point.Groups[2].Value);
            double simulated = Number(point.Groups[3].Value), half = Number(point.Groups[4].Value), theory = Number(point.Groups[5].Value);
            Assert.That(theory, Is.EqualTo(Math.Exp(-perHour / 60 * minutes)).Within(5e-5), "e^(-λT), by hand");
            // e^(-λT), plus at most the calls that find the one instance busy (0.6 s at most):
            // 1 - e^(-λ·0.6 s), and the key's stated tolerance of 0.01: with 15 points of five
            // replications one may fall outside its 95% interval (30 calls/h, 1 min: 0.6146 ± 0.0027
            // against 0.6065; twenty replications of another seed give 0.6066 ± 0.0028).
            double busy = 1 - Math.Exp(-perHour / 3600 * 0.6);
            Assert.That(simulated, Is.InRange(theory - half - 1e-4, theory + half + busy + 0.01), point.Value);
        }
        // The key: ln(1/0.05) / (12/h) = 2.9957 / 0.2 per min = 14.98 min, and the simulator agrees within its interval.
        var answer = KeepAliveAnswer().Match(text);
        Assert.That(answer.Success, text);
        Assert.That(Number(answer.Groups[1].Value), Is.EqualTo(Math.Log(20) / 0.2).Within(0.005));
        double share = Number(answer.Groups[2].Value), halfWidth = Number(answer.Groups[3].Value);
        Assert.That(Math.Abs(share - 0.05), Is.LessThanOrEqualTo(halfWidth), "the limit lies inside the simulated interval at that window");
    }

    [Test]
    public void TheMovingImagesLabGivesTheChaptersThreeMinutes()
    {
        var cells = Execute(Path.Combine("labs", "moving-images.ipynb"));
        NoErrorsAndOnePlot(cells);
        var match = ImageTransfer().Match(Text(cells));
        Assert.That(match.Success, Text(cells));
        // The chapter: 8e9 B × 8 bit / (1e9 bit/s × 0.35) = 182.86 s; the model adds 100 µs of latency.
        Assert.That(Number(match.Groups[2].Value), Is.EqualTo(8e9 * 8 / 0.35e9).Within(0.005));
        Assert.That(Number(match.Groups[1].Value), Is.EqualTo(8e9 * 8 / 0.35e9).Within(0.005));
    }

    [Test]
    public void EveryLabHasAKeyAndALineInTheIndex()
    {
        string notebooks = Path.Combine(Repository.Root, "notebooks");
        string index = File.ReadAllText(Path.Combine(notebooks, "README.md"));
        foreach (string lab in Directory.GetFiles(Path.Combine(notebooks, "labs"), "*.ipynb"))
        {
            string name = Path.GetFileNameWithoutExtension(lab);
            Assert.That(File.Exists(Path.Combine(notebooks, "keys", name + ".md")), $"keys/{name}.md");
            Assert.That(index, Does.Contain($"labs/{name}.ipynb"));
        }
    }
}

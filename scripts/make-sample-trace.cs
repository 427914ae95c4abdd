// Makes scenarios/traces/sample-azure-2019.csv: a small, synthetic day of function invocations
// in the layout of the public Azure Functions 2019 trace (Shahrad et al., USENIX ATC 2020):
// HashOwner, HashApp, HashFunction, Trigger, then the count of invocations in each of the
// 1,440 minutes. The shapes follow what the paper reports: timers that fire on the minute,
// HTTP traffic with a daily cycle, rare and bursty functions. Deterministic (seed 2019).
//
//     dotnet run scripts/make-sample-trace.cs -- scenarios/traces/sample-azure-2019.csv

var output = args.Length > 0 ? args[0] : "scenarios/traces/sample-azure-2019.csv";
var random = new Random(2019);

int Poisson(double mean)
{
    // Knuth's method, fine for the small means used here.
    double limit = Math.Exp(-mean), product = random.NextDouble();
    int count = 0;
    while (product > limit)
    {
        count++;
        product *= random.NextDouble();
    }
    return count;
}

var functions = new List<(string Name, string Trigger, Func<int, int> PerMinute)>
{
    ("timer-1min", "timer", _ => 1),
    ("timer-5min", "timer", m => m % 5 == 0 ? 1 : 0),
    ("timer-hourly", "timer", m => m % 60 == 0 ? 1 : 0),
    ("http-busy", "http", m => Poisson(30 * (1.2 + Math.Sin(2 * Math.PI * (m - 360) / 1440)))),
    ("http-daily-cycle", "http", m => Poisson(2 * (1.1 + Math.Sin(2 * Math.PI * (m - 360) / 1440)))),
    ("http-sparse", "http", _ => Poisson(0.05)),
    ("queue-bursty", "queue", m => m % 240 < 10 ? Poisson(40) : 0),
    ("event-rare", "event", _ => Poisson(0.004)),
};

using var writer = new StreamWriter(output);
writer.WriteLine("HashOwner,HashApp,HashFunction,Trigger," + string.Join(",", Enumerable.Range(1, 1440)));
foreach (var (name, trigger, perMinute) in functions)
{
    var counts = Enumerable.Range(0, 1440).Select(perMinute);
    writer.WriteLine($"owner-sample,app-sample,{name},{trigger}," + string.Join(",", counts));
}
Console.WriteLine($"wrote {functions.Count} functions x 1440 minutes to {output}");

namespace VirtSim.Tests.Datacenter;

/// <summary>Closed forms of queueing theory, written from the textbook formulas, independent of the model.</summary>
internal static class QueueingTheory
{
    /// <summary>Erlang B: probability that an arrival finds all c servers busy in M/M/c/c with offered load a = λ/μ.</summary>
    public static double ErlangB(int c, double a)
    {
        double b = 1;
        for (int k = 1; k <= c; k++)
        {
            b = a * b / (k + a * b);
        }
        return b;
    }

    /// <summary>Erlang C: probability of waiting in M/M/c with offered load a = λ/μ &lt; c.</summary>
    public static double ErlangC(int c, double a)
    {
        double b = ErlangB(c, a);
        double rho = a / c;
        return b / (1 - rho + rho * b);
    }

    /// <summary>
    /// E_k/M/1 mean response time (a GI/M/1 queue whose gaps are Erlang-k of rate kλ, as a replica
    /// sees every k-th request of a Poisson stream): 1 / (μ(1 − σ)), σ the root in (0, 1) of
    /// σ = (kλ / (kλ + μ(1 − σ)))^k (Kleinrock, Queueing Systems I, §6.4), found by iteration.
    /// </summary>
    public static double EkM1MeanResponse(int k, double lambda, double mu)
    {
        double sigma = 0;
        for (int i = 0; i < 1000; i++)
        {
            sigma = Math.Pow(k * lambda / (k * lambda + mu * (1 - sigma)), k);
        }
        return 1 / (mu * (1 - sigma));
    }

    /// <summary>M/M/c mean response time: E[W] = C(c, a) / (cμ − λ), plus the service time 1/μ.</summary>
    public static double MmcMeanResponse(int c, double lambda, double mu) =>
        ErlangC(c, lambda / mu) / (c * mu - lambda) + 1 / mu;

    /// <summary>Pollaczek–Khinchine: M/G/1 mean response time E[S] + λE[S²] / (2(1 − ρ)).</summary>
    public static double MG1MeanResponse(double lambda, double meanService, double secondMoment) =>
        meanService + lambda * secondMoment / (2 * (1 - lambda * meanService));

    /// <summary>M/G/1 processor sharing: E[T] = E[S] / (1 − ρ), whatever the service distribution.</summary>
    public static double PsMeanResponse(double lambda, double meanService) =>
        meanService / (1 - lambda * meanService);
}

// Limited-memory BFGS (Nocedal and Wright, algorithm 7.5) with a backtracking Armijo
// line search: the optimiser behind the logistic and softmax routers. Deterministic:
// a fixed sequence of floating-point operations for a given objective and start.
#pragma once
#include <functional>
#include <span>
#include <vector>

namespace headroom {

struct lbfgs_options {
    int memory = 10;
    int max_iterations = 200;
    double gradient_tolerance = 1e-5;  // stop when max |gradient| falls below it
};

struct lbfgs_result {
    int iterations = 0;
    double value = 0;
    bool converged = false;
};

// The minimiser driven from outside: it names the point it needs the objective at,
// the caller evaluates there and reports back, until done(). So several independent
// problems can share one pass over their data per evaluation (the one-vs-rest
// logistic models), each taking exactly the steps lbfgs_minimise would.
class lbfgs_solver {
public:
    lbfgs_solver(std::vector<double> start, const lbfgs_options& options);

    bool done() const { return done_; }
    // Where the objective is wanted next (meaningless once done).
    std::span<const double> point() const { return searching_ ? x_new_ : x_; }
    // The objective and its gradient at point().
    void evaluated(double f, std::span<const double> gradient);

    const std::vector<double>& solution() const { return x_; }
    const lbfgs_result& result() const { return result_; }

private:
    void begin_iteration();
    void two_loop_direction();
    void try_step();
    void accept_step(double f_new);
    void finish();

    lbfgs_options options_;
    std::size_t memory_;
    std::vector<double> x_, g_, direction_, x_new_, g_new_, alpha_;
    std::vector<double> s_new_, y_new_;  // the accepted step's pair, before it enters the history
    std::vector<std::vector<double>> s_hist_, y_hist_;  // oldest first
    std::vector<double> rho_hist_;
    double f_ = 0, step_ = 1, slope_ = 0;
    int tries_ = 0;
    bool searching_ = false, done_ = false;
    lbfgs_result result_;
};

// objective(x, gradient) returns f(x) and writes its gradient; x is updated in place.
using objective_fn = std::function<double(std::span<const double> x, std::span<double> gradient)>;
lbfgs_result lbfgs_minimise(std::vector<double>& x, const objective_fn& objective, const lbfgs_options& options = {});

} // namespace headroom

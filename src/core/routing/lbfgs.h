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

// objective(x, gradient) returns f(x) and writes its gradient; x is updated in place.
using objective_fn = std::function<double(std::span<const double> x, std::span<double> gradient)>;
lbfgs_result lbfgs_minimise(std::vector<double>& x, const objective_fn& objective, const lbfgs_options& options = {});

} // namespace headroom

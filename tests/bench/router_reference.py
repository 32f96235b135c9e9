"""scikit-learn's KMeans and LogisticRegression on the TF-IDF matrix that
headroom_bench_router_sklearn exported (raw CSR arrays), timed the same way and routed
by the same rules: logistic, one binary model per LLM, argmax of the probabilities
(first on ties); kmeans, each cluster scores the LLMs by (sum of training labels in it
+ overall training accuracy) / (cluster size + 1), argmax. Each fit is timed `repeats`
times and the best time kept, as the C++ side does. Prints JSON."""
import json
import sys
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.cluster import KMeans
from sklearn.linear_model import LogisticRegression


def main(directory, repeats):
    d = Path(directory)
    meta = json.loads((d / "meta.json").read_text())
    rows, cols, models = meta["rows"], meta["cols"], meta["models"]
    x = sp.csr_matrix((np.fromfile(d / "data.bin", dtype="<f8"), np.fromfile(d / "indices.bin", dtype="<i8"),
                       np.fromfile(d / "indptr.bin", dtype="<i8")), shape=(rows, cols))
    labels = np.fromfile(d / "labels.bin", dtype="<f8").reshape(-1, models)
    train, test = np.fromfile(d / "train.bin", dtype="<i8"), np.fromfile(d / "test.bin", dtype="<i8")
    x_train, x_test = x[train], x[test]
    y_train, y_test = labels[train], labels[test]

    logistic_seconds = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        confidence = np.zeros((len(test), models))
        for m in range(models):
            y = (y_train[:, m] >= 0.5).astype(int)
            if y.min() == y.max():
                confidence[:, m] = y[0]
                continue
            clf = LogisticRegression(C=1.0 / meta["l2"], solver="lbfgs", max_iter=100, tol=1e-4)
            clf.fit(x_train, y)
            confidence[:, m] = clf.predict_proba(x_test)[:, 1]
        logistic_seconds = min(logistic_seconds, time.perf_counter() - start)
    logistic_accuracy = float(y_test[np.arange(len(test)), confidence.argmax(axis=1)].mean())

    kmeans_seconds = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        km = KMeans(n_clusters=meta["clusters"], init="k-means++", n_init=meta["restarts"], max_iter=300, tol=1e-4,
                    algorithm="lloyd", random_state=0)
        km.fit(x_train)
        kmeans_seconds = min(kmeans_seconds, time.perf_counter() - start)
    overall = y_train.mean(axis=0)
    k = meta["clusters"]
    sums = np.zeros((k, models))
    counts = np.zeros(k)
    np.add.at(sums, km.labels_, y_train)
    np.add.at(counts, km.labels_, 1)
    score = (sums + overall) / (counts[:, None] + 1)
    choice = score[km.predict(x_test)].argmax(axis=1)
    kmeans_accuracy = float(y_test[np.arange(len(test)), choice].mean())
    print(json.dumps({"logistic_seconds": logistic_seconds, "logistic_accuracy": logistic_accuracy,
                      "kmeans_seconds": kmeans_seconds, "kmeans_inertia": float(km.inertia_),
                      "kmeans_accuracy": kmeans_accuracy}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1)

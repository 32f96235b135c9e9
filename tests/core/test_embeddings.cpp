// Query embeddings (embeddings.jsonl, embedding_table): loaded and validated with the
// study, written back, packed (format 5, only when present), and read by the routers
// as the "embeddings" features. The fixture is `tiny` with four hand-made vectors.
#include "core/features/feature_cache.h"
#include "core/io/pack.h"
#include "core/io/study_io.h"
#include "core/routing/evaluate.h"

#include "test_support.h"

#include <cmath>
#include <string>

using namespace headroom;
using namespace headroom::test;

namespace {

const char* const tiny_vectors =
    "{\"query\":\"q1\",\"embedder\":\"toy-embed\",\"vector\":[1,0,0]}\n"
    "{\"query\":\"q2\",\"embedder\":\"toy-embed\",\"vector\":[0.5,0.5,0]}\n"
    "{\"query\":\"q3\",\"embedder\":\"toy-embed\",\"vector\":[0,3,4]}\n"
    "{\"query\":\"q4\",\"embedder\":\"toy-embed\",\"vector\":[0,0,-2.25]}\n";

// The tiny fixture with `lines` as its embeddings.jsonl.
struct embedded {
    explicit embedded(const std::string& lines) {
        dir = copy_fixture(tmp, "tiny");
        write_file(fs::path(dir) / embeddings_file, lines);
    }
    temp_dir tmp;
    std::string dir;
};

} // namespace

TEST_CASE("embeddings: loaded with the study, written back and packed", "[embeddings]") {
    const embedded e(tiny_vectors);
    const study s = load_study_dir(e.dir);
    REQUIRE(s.embeddings.dimensions == 3);
    CHECK(s.embeddings.embedder == "toy-embed");
    CHECK(s.embeddings.of(2)[1] == 3.0f);
    CHECK(s.embeddings.of(3)[2] == -2.25f);

    temp_dir out;
    write_study_dir(s, out.str());
    CHECK(load_study_dir(out.str()).embeddings.values == s.embeddings.values);

    const auto bytes = pack_study(s);
    CHECK(bytes[8] == 5);  // the version that holds embeddings
    const study back = unpack_study(bytes, "e.pack");
    CHECK(back.embeddings.embedder == "toy-embed");
    CHECK(back.embeddings.values == s.embeddings.values);
    CHECK(first_difference(s, back) == "");
    // Without embeddings a pack stays at version 4, byte for byte what it was.
    CHECK(pack_study(load_study_dir(fixture("tiny")))[8] == 4);
    CHECK(load_study_dir(fixture("tiny")).embeddings.empty());
}

TEST_CASE("embeddings: bad lines name the file, line and field", "[embeddings][bad_input]") {
    auto loader = [](const embedded& e) { return [&e] { load_study_dir(e.dir); }; };
    const std::string q = "{\"query\":\"q1\",\"embedder\":\"toy-embed\",\"vector\":[1,0,0]}\n";
    const embedded missing(q);
    check_input_error(loader(missing), embeddings_file, 0, "query", "no vector for query 'q2'");
    const embedded shorter(q + "{\"query\":\"q2\",\"embedder\":\"toy-embed\",\"vector\":[1,0]}\n");
    check_input_error(loader(shorter), embeddings_file, 2, "vector", "has 2 numbers, earlier lines 3");
    const embedded other(q + "{\"query\":\"q2\",\"embedder\":\"other\",\"vector\":[1,0,0]}\n");
    check_input_error(loader(other), embeddings_file, 2, "embedder", "one embedder per study");
    const embedded twice(q + q);
    check_input_error(loader(twice), embeddings_file, 2, "query", "a second vector for query 'q1'");
    const embedded text(q + "{\"query\":\"q2\",\"embedder\":\"toy-embed\",\"vector\":[1,\"x\",0]}\n");
    check_input_error(loader(text), embeddings_file, 2, "vector", "item 1 must be a number");
    const embedded unknown("{\"query\":\"q9\",\"embedder\":\"toy-embed\",\"vector\":[1]}\n");
    check_input_error(loader(unknown), embeddings_file, 1, "query", "unknown query id 'q9'");
}

TEST_CASE("embeddings: the routers' features are the vectors, l2-normalised", "[embeddings][routing]") {
    const embedded e(tiny_vectors);
    const study s = load_study_dir(e.dir);
    feature_cache cache(s);
    const std::vector<std::uint32_t> train{0, 1};
    const csr_matrix& x = cache.features(feature_kind::embeddings, train, router_options{}, 1);
    REQUIRE(x.rows == 4);
    REQUIRE(x.cols == 3);
    CHECK(x.row_values(1)[0] == Approx(std::sqrt(0.5)));
    CHECK(x.row_values(2)[1] == Approx(0.6));
    CHECK(x.row_values(2)[2] == Approx(0.8));
    CHECK(x.row_values(3)[2] == Approx(-1.0));
    // Fitted on nothing: one matrix serves every split.
    CHECK(&cache.features(feature_kind::embeddings, std::vector<std::uint32_t>{2, 3}, router_options{}, 7) == &x);

    const study plain = load_study_dir(fixture("tiny"));
    feature_cache none(plain);
    CHECK_THROWS_WITH(none.features(feature_kind::embeddings, train, router_options{}, 1),
                      Catch::Contains("has no query embeddings"));
    CHECK(parse_feature_kind("embeddings") == feature_kind::embeddings);
}

TEST_CASE("embeddings: values a float cannot hold and a stale table are refused or removed", "[embeddings][bad_input]") {
    const std::string ok = "{\"query\":\"q1\",\"embedder\":\"toy-embed\",\"vector\":[1,0,0]}\n";
    const embedded huge(ok + "{\"query\":\"q2\",\"embedder\":\"toy-embed\",\"vector\":[1,1e300,0]}\n");
    check_input_error([&] { load_study_dir(huge.dir); }, embeddings_file, 2, "vector", "item 1 does not fit a 32-bit float");

    // A study without embeddings written over a directory that had some: the old
    // vectors would otherwise be read back beside queries they were not made for.
    const embedded e(tiny_vectors);
    write_study_dir(load_study_dir(fixture("tiny")), e.dir);
    CHECK(load_study_dir(e.dir).embeddings.empty());
}

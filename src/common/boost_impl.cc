// Boost.JSON and Boost.URL are used header-only (Debian ships no compiled libraries for them):
// their implementation is compiled exactly once, here.
#include <boost/json/src.hpp>
#include <boost/url/src.hpp>

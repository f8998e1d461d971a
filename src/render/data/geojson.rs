//! `/data/spaces.geojson`: an RFC 7946 FeatureCollection of Points (`[lon, lat]`).

use super::*;

impl Data<'_> {
    pub(super) fn geojson(&self) -> Vec<u8> {
        let c = &self.site.config;
        let urls = self.urls;
        let features = self
            .site
            .spaces
            .iter()
            .enumerate()
            .map(|(i, s)| Feature {
                // RFC 7946: longitude first.
                geometry: Point {
                    coordinates: [s.lon, s.lat],
                    kind: "Point",
                },
                id: &s.slug,
                properties: FeatureProperties {
                    amenities: &s.amenities,
                    drop_in: s.drop_in,
                    government_members_welcome: s.government_members_welcome,
                    last_verified: AsStr(s.last_verified),
                    listed: self.listed(i),
                    locality: &s.address.locality,
                    name: &s.name,
                    region: &s.region,
                    status: s.status,
                    url: AsStr(urls.record_absolute_display(Record::Space, s.slug.as_str())),
                },
                kind: "Feature",
            })
            .collect();
        pretty_sized(
            &GeoJson {
                features,
                generated: rfc3339(self.idx.now),
                licence: &c.licence,
                publisher: &c.publisher,
                kind: "FeatureCollection",
                version: VERSION,
            },
            self.site.spaces.len() * 1536,
        )
    }
}
